import { createRoute, z } from "@hono/zod-openapi";
import { listStatementsPage } from "../../db/queries/settlements";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { StatementSummarySchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/settlements",
  operationId: "listSettlements",
  tags: ["Settlements"],
  summary: "List statements",
  description:
    "A partner's own statements, newest first (the operator sees every partner's, or one with `partner_id`).",
  security: [{ bearerAuth: ["settlements:read"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("settlements:read", "operator")] as const,
  request: {
    query: ListQuerySchema.extend({
      period_id: z.string().optional(),
      currency: z.string().length(3).optional(),
      partner_id: z.string().optional().openapi({ description: "Operator only" }),
    }),
  },
  responses: {
    200: {
      description: "A page of statements",
      content: { "application/json": { schema: listOf(StatementSummarySchema, "StatementList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListSettlementsRequest = OperationRequest<typeof route>;
export type ListSettlementsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const partnerId = c.get("principal")?.partnerId ?? query.partner_id;
    const result = await listStatementsPage(c.get("deps").db, query, {
      partnerId,
      periodId: query.period_id,
      currency: query.currency?.toUpperCase(),
    });
    return c.json(
      {
        ...result,
        data: result.data.map(({ statement, period }) =>
          StatementSummarySchema.parse({
            id: statement.id,
            period: { id: period.id, start: period.start.toISOString(), end: period.end.toISOString() },
            partner_id: statement.partnerId,
            currency: statement.currency,
            net_amount_minor: statement.netAmountMinor,
            content_hash: statement.contentHash,
            created_at: statement.createdAt.toISOString(),
          }),
        ),
      },
      200,
    );
  });
