import { createRoute, z } from "@hono/zod-openapi";
import { recordActivity } from "../../domain/activities";
import { requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { movementFields, movementTarget } from "../transactions/movement";
import { ActivityResultSchema, ActivityType } from "./schemas";

const RecordActivityBody = z
  .object({
    program_id: movementFields.program_id,
    external_id: movementFields.external_id,
    type: ActivityType,
    reference: movementFields.reference.openapi({
      example: "review-55120",
      description: "Your reference of the action: the same type and reference twice is refused (409)",
    }),
  })
  .strict()
  .openapi("RecordActivity", {
    example: {
      program_id: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0",
      external_id: "SK-4471-0092",
      type: "review_written",
      reference: "review-55120",
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/activities",
  operationId: "recordActivity",
  tags: ["Activities"],
  summary: "Record a member's activity",
  description:
    "Records a non-purchase action of the member (a review written, a social share, a survey completed: `type` is " +
    "your word for it) and, in the same atomic write, pays the program's active `activity` promotions whose " +
    "`activity_types` include it, as they would an earn: schedule, audience (tiers, segments, your partner id; " +
    "an activity has no channel), control group, budget and member limits. Each award is a bonus transaction " +
    "(source `promotion`, `reference` the activity's id), listed in `bonuses`; `balance_after` includes them. An " +
    "`activity.recorded` event goes to you and the program's owner. The same `type` and `reference` for the member " +
    "again is 409 `conflict` and pays nothing; a closed program or an erased member is 409 `invalid_state`. Needs " +
    "an agreement with the program. Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["members:write"] }],
  middleware: [requireScope("members:write"), idempotency({ required: true, atomic: true })] as const,
  request: {
    headers: RequiredIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: RecordActivityBody } } },
  },
  responses: {
    201: {
      description: "The activity, with what it paid",
      content: { "application/json": { schema: ActivityResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429),
  },
});

export type RecordActivityRequest = OperationRequest<typeof route>;
export type RecordActivityResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { partnerId, access } = await movementTarget(c, body);
    const result = await recordActivity(
      c.get("deps"),
      { access, partnerId, type: body.type, reference: body.reference },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
