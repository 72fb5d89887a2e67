import { createRoute, z } from "@hono/zod-openapi";
import { listFraudEventsPage } from "../../db/queries/fraud";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { FraudEventSchema, toFraudEvent } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/fraud-events",
  operationId: "listFraudEvents",
  tags: ["Fraud"],
  summary: "List fraud events",
  description:
    "Every decision a fraud rule took (rejected or held), newest first; filter by rule, partner, member, decision and time.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: {
    query: ListQuerySchema.extend({
      rule: z.string().optional(),
      partner_id: z.string().optional(),
      member_id: z.string().optional(),
      decision: z.enum(["rejected", "held"]).optional(),
      created_from: z.iso.datetime({ offset: true }).optional(),
      created_to: z.iso.datetime({ offset: true }).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of fraud events",
      content: { "application/json": { schema: listOf(FraudEventSchema, "FraudEventList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListFraudEventsRequest = OperationRequest<typeof route>;
export type ListFraudEventsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const result = await listFraudEventsPage(c.get("deps").db, c.req.valid("query"));
    return c.json(
      {
        ...result,
        data: result.data.map(toFraudEvent),
      },
      200,
    );
  });
