import { createRoute, z } from "@hono/zod-openapi";
import { adjust } from "../../domain/ledger/adjust";
import { requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { movementFields } from "./movement";
import { TransactionSchema } from "./schemas";

const AdjustmentBody = z
  .object({
    program_id: movementFields.program_id,
    external_id: movementFields.external_id,
    points: z
      .number()
      .int("must be a whole number of points")
      .min(-1_000_000_000)
      .max(1_000_000_000)
      .refine((points) => points !== 0, "must not be 0")
      .openapi({
        example: 250,
        description: "Positive credits the member, negative debits it (at most 1e9 either way)",
      }),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .openapi({ example: "Goodwill: flight delayed 4 hours", description: "Why: kept with the transaction" }),
  })
  .strict()
  .openapi("AdjustPoints");

export const route = createRoute({
  method: "post",
  path: "/v1/transactions/adjustments",
  operationId: "adjustPoints",
  tags: ["Transactions"],
  summary: "Adjust a member's points",
  description:
    'A goodwill credit or a correction by the program\'s owner (or the operator): `type: "adjustment"`, with the ' +
    "`reason` and the `actor` (your credential's client id) kept on the transaction. A credit comes from the " +
    "program's issuance account and expires with the program's points, but is not an earn (it never counts as " +
    "`lifetime_earned`); a debit goes back to the issuance account and never takes the member below zero (409 " +
    "`insufficient_points`, nothing written). Adjustments cannot be reversed: make a correcting adjustment. " +
    "A closed program takes no credits (409 `invalid_state`). Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["programs:manage"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("programs:manage", "operator"), idempotency({ required: true, atomic: true })] as const,
  request: {
    headers: RequiredIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: AdjustmentBody } } },
  },
  responses: {
    201: {
      description: "The adjustment transaction (`points` signed as asked)",
      content: { "application/json": { schema: TransactionSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429),
  },
});

export type AdjustPointsRequest = OperationRequest<typeof route>;
export type AdjustPointsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const principal = c.get("principal");
    if (!principal) throw new Error("adjustments run after authentication");
    const result = await adjust(
      c.get("deps"),
      {
        caller: { partnerId: principal.partnerId ?? null },
        actor: principal.clientId,
        programId: body.program_id,
        externalId: body.external_id,
        points: body.points,
        reason: body.reason,
      },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
