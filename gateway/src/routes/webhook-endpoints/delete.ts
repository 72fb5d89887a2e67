import { createRoute } from "@hono/zod-openapi";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { deleteEndpoint } from "../../webhooks/endpoints";
import { EndpointIdParam, toEndpoint, WebhookEndpointSchema } from "./schemas";

export const route = createRoute({
  method: "delete",
  path: "/v1/webhook-endpoints/{id}",
  operationId: "deleteWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Delete a webhook endpoint",
  description: "Nothing more is sent to it, including retries under way. Afterwards the endpoint answers 404.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage")] as const,
  request: { params: EndpointIdParam },
  responses: {
    200: { description: "The deleted endpoint", content: { "application/json": { schema: WebhookEndpointSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type DeleteWebhookEndpointRequest = OperationRequest<typeof route>;
export type DeleteWebhookEndpointResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const endpoint = await deleteEndpoint(c.get("deps"), callerPartnerId(c), c.req.valid("param").id);
    return c.json(toEndpoint(endpoint), 200);
  });
