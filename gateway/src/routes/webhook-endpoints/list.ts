import { createRoute } from "@hono/zod-openapi";
import { listWebhookEndpointsPage } from "../../db/queries/webhook-endpoints";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { toEndpoint, WebhookEndpointSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/webhook-endpoints",
  operationId: "listWebhookEndpoints",
  tags: ["Webhooks"],
  summary: "List webhook endpoints",
  description: "The calling partner's endpoints, newest first. Secrets are not shown.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage")] as const,
  request: { query: ListQuerySchema },
  responses: {
    200: {
      description: "A page of endpoints",
      content: { "application/json": { schema: listOf(WebhookEndpointSchema, "WebhookEndpointList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListWebhookEndpointsRequest = OperationRequest<typeof route>;
export type ListWebhookEndpointsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const result = await listWebhookEndpointsPage(c.get("deps").db, callerPartnerId(c), c.req.valid("query"));
    return c.json({ ...result, data: result.data.map(toEndpoint) }, 200);
  });
