import { createRoute } from "@hono/zod-openapi";
import { findStatement } from "../../domain/settlement/find";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { StatementIdParam, StatementSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/settlements/{id}",
  operationId: "getSettlement",
  tags: ["Settlements"],
  summary: "Get a statement",
  description:
    "The statement with its lines and totals, as issued: closed statements never change, and `content_hash` proves " +
    "it. Another partner's statement answers 404. Also as `/v1/settlements/{id}.csv` and `.pdf`.",
  security: [{ bearerAuth: ["settlements:read"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("settlements:read", "operator")] as const,
  request: { params: StatementIdParam },
  responses: {
    200: { description: "The statement", content: { "application/json": { schema: StatementSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetSettlementRequest = OperationRequest<typeof route>;
export type GetSettlementResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const statement = await findStatement(
      c.get("deps"),
      c.req.valid("param").id,
      c.get("principal")?.partnerId ?? null,
    );
    return c.json(StatementSchema.parse(statement), 200);
  });
