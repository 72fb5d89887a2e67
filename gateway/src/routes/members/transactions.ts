import { createRoute } from "@hono/zod-openapi";
import { listMemberTransactionsPage } from "../../db/queries/ledger";
import { memberAccess } from "../../domain/access";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { TransactionSchema, toTransaction } from "../transactions/schemas";
import { MemberPathParams } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/transactions",
  operationId: "listMemberTransactions",
  tags: ["Members"],
  summary: "List a member's transactions",
  description: "The member's history in the program, newest first, with cursor pagination.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: { params: MemberPathParams, query: ListQuerySchema },
  responses: {
    200: {
      description: "A page of transactions",
      content: { "application/json": { schema: listOf(TransactionSchema, "TransactionList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListMemberTransactionsRequest = OperationRequest<typeof route>;
export type ListMemberTransactionsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const { member } = await memberAccess(deps.reader, program_id, external_id, callerPartnerId(c), deps.clock.now());
    const result = await listMemberTransactionsPage(deps.db, member.id, c.req.valid("query"));
    return c.json({ ...result, data: result.data.map((row) => toTransaction(row, member.externalId)) }, 200);
  });
