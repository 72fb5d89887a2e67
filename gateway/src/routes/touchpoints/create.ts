import { createRoute, z } from "@hono/zod-openapi";
import { memberAccess } from "../../domain/access";
import { recordTouchpoint } from "../../domain/touchpoints/record";
import { callerPartnerId, requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { OptionalIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams } from "../members/schemas";
import { TouchpointChannel, TouchpointDirection, TouchpointReason, TouchpointSchema, toTouchpoint } from "./schemas";

const CreateTouchpointBody = z
  .object({
    channel: TouchpointChannel,
    reason: TouchpointReason,
    direction: TouchpointDirection,
    note: z.string().max(2000).optional().openapi({ description: "What was said, at most 2,000 characters" }),
    rating: z.number().int().min(1).max(5).optional().openapi({ description: "The member's rating of the contact" }),
    occurred_at: z.iso.datetime({ offset: true }).optional().openapi({
      example: "2026-11-30T14:05:00Z",
      description: "When it happened (RFC 3339); default now. At most five minutes after now.",
    }),
    agent: z.string().trim().min(1).max(200).optional().openapi({
      description: "Who handled it on the program's side: a name or your own agent id, at most 200 characters",
    }),
  })
  .strict()
  // No `occurred_at` in the example: a fixed date would one day be refused as too far ahead of a sandbox's clock.
  .openapi("CreateTouchpoint", {
    example: {
      channel: "call_center",
      reason: "question",
      direction: "inbound",
      note: "Asked how to add a companion to an award ticket",
      rating: 5,
      agent: "agent-0412",
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/members/{external_id}/touchpoints",
  operationId: "createTouchpoint",
  tags: ["Touchpoints"],
  summary: "Record a touchpoint",
  description:
    "Records a contact between the member and the program (a call, an email, a visit): how it happened " +
    "(`channel`), what about (`reason`), who started it (`direction`), and optionally a note, the member's rating " +
    "and who handled it. For partners with an agreement on the program. It shows in the member's touchpoints and " +
    "activity. 400 names every invalid field; a member that was erased answers 409 `invalid_state`. An optional " +
    "`Idempotency-Key` makes a retry record it once.",
  security: [{ bearerAuth: ["members:write"] }],
  middleware: [requireScope("members:write"), idempotency({ required: false, atomic: true })] as const,
  request: {
    params: MemberPathParams,
    headers: OptionalIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: CreateTouchpointBody } } },
  },
  responses: {
    201: { description: "The touchpoint recorded", content: { "application/json": { schema: TouchpointSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

export type CreateTouchpointRequest = OperationRequest<typeof route>;
export type CreateTouchpointResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const partnerId = callerPartnerId(c);
    const body = c.req.valid("json");
    const access = await memberAccess(deps.reader, program_id, external_id, partnerId, deps.clock.now());
    const result = await recordTouchpoint(
      deps,
      access,
      partnerId,
      {
        channel: body.channel,
        reason: body.reason,
        direction: body.direction,
        note: body.note,
        rating: body.rating,
        agent: body.agent,
        occurredAt: body.occurred_at === undefined ? undefined : new Date(body.occurred_at),
      },
      toTouchpoint,
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
