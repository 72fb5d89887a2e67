import { createRoute, z } from "@hono/zod-openapi";
import { findTransactionForPartner } from "../../domain/ledger/find";
import { reverse } from "../../domain/ledger/reverse";
import { ApiError } from "../../errors";
import { callerPartnerId, requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { PointsSchema, ReversalResultSchema, TransactionIdParam } from "./schemas";

const ReversalBody = z
  .object({
    points: PointsSchema.optional().openapi({ description: "Default: all that is left of the original" }),
    reason: z.string().trim().min(1).max(500).optional().openapi({ example: "order cancelled" }),
  })
  .strict()
  .openapi("Reversal");

export const route = createRoute({
  method: "post",
  path: "/v1/transactions/{id}/reversals",
  operationId: "reverseTransaction",
  tags: ["Transactions"],
  summary: "Reverse a transaction",
  description:
    "Reverses all or part of one of your earns or burns with a new opposite transaction. Never beyond what is left " +
    "of the original (409 `conflict`); reversing an earn whose points are already spent answers 409 " +
    "`insufficient_points`; reversing a burn re-credits the member. Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["points:earn"] }, { bearerAuth: ["points:burn"] }],
  middleware: [requireScope("points:earn", "points:burn"), idempotency({ required: true, atomic: true })] as const,
  request: {
    params: TransactionIdParam,
    headers: RequiredIdempotencyHeader,
    body: { required: false, content: { "application/json": { schema: ReversalBody } } },
  },
  responses: {
    201: {
      description: "The reversal transaction, with the reversals of the earn's bonuses",
      content: { "application/json": { schema: ReversalResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

export type ReverseTransactionRequest = OperationRequest<typeof route>;
export type ReverseTransactionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const partnerId = callerPartnerId(c);
    const body = (c.req.valid("json") as z.infer<typeof ReversalBody> | undefined) ?? {};
    const { id } = c.req.valid("param");
    const { transaction, member, access } = await findTransactionForPartner(deps, id, partnerId, deps.clock.now());
    // Only the partner that made a movement may reverse it; to others it does not exist.
    if (transaction.partnerId !== partnerId) throw new ApiError("not_found", `No transaction ${id}.`);
    const scope = transaction.type === "burn" ? "points:burn" : "points:earn";
    if (!c.get("principal")?.scopes.includes(scope))
      throw new ApiError("forbidden", `Reversing a ${transaction.type} needs the scope \`${scope}\`.`);
    const result = await reverse(
      deps,
      { original: transaction, program: access.program, member, partnerId, points: body.points, reason: body.reason },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
