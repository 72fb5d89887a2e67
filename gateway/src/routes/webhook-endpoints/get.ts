import { createRoute } from "@hono/zod-openapi";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { findEndpoint } from "../../webhooks/endpoints";
import { EndpointIdParam, toEndpoint, WebhookEndpointSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/webhook-endpoints/{id}",
  operationId: "getWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Get a webhook endpoint",
  description: "Its status says whether it receives events, and if not, why (`disabled_reason`).",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage")] as const,
  request: { params: EndpointIdParam },
  responses: {
    200: { description: "The endpoint", content: { "application/json": { schema: WebhookEndpointSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetWebhookEndpointRequest = OperationRequest<typeof route>;
export type GetWebhookEndpointResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const endpoint = await findEndpoint(c.get("deps"), callerPartnerId(c), c.req.valid("param").id);
    return c.json(toEndpoint(endpoint), 200);
  });
