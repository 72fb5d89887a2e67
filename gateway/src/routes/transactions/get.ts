import { createRoute } from "@hono/zod-openapi";
import { findTransactionForPartner } from "../../domain/ledger/find";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { TransactionIdParam, TransactionSchema, toTransaction } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/transactions/{id}",
  operationId: "getTransaction",
  tags: ["Transactions"],
  summary: "Get a transaction",
  description: "Any transaction in a program you have an agreement with; other ids answer 404.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: { params: TransactionIdParam },
  responses: {
    200: { description: "The transaction", content: { "application/json": { schema: TransactionSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetTransactionRequest = OperationRequest<typeof route>;
export type GetTransactionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { transaction, member } = await findTransactionForPartner(
      deps,
      c.req.valid("param").id,
      callerPartnerId(c),
      deps.clock.now(),
    );
    return c.json(toTransaction(transaction, member.externalId), 200);
  });
