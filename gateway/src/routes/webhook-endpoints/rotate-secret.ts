import { createRoute } from "@hono/zod-openapi";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { rotateSecret } from "../../webhooks/endpoints";
import { EndpointIdParam, toEndpointWithSecret, WebhookEndpointWithSecretSchema } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/v1/webhook-endpoints/{id}/rotate-secret",
  operationId: "rotateWebhookEndpointSecret",
  tags: ["Webhooks"],
  summary: "Rotate the signing secret",
  description:
    "A new secret, shown only in this response. For 24 hours every delivery is signed with both the new and the old " +
    "secret (two signatures in `webhook-signature`), so receivers can switch without missing one; then only the new.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [
    requireScope("webhooks:manage"),
    idempotency({ required: false, atomic: false, redact: (body) => ({ ...body, secret: null }) }),
  ] as const,
  request: { params: EndpointIdParam },
  responses: {
    200: {
      description: "The endpoint with its new secret",
      content: { "application/json": { schema: WebhookEndpointWithSecretSchema } },
    },
    ...errorResponses(401, 403, 404, 409, 422),
  },
});

export type RotateWebhookEndpointSecretRequest = OperationRequest<typeof route>;
export type RotateWebhookEndpointSecretResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const endpoint = await rotateSecret(c.get("deps"), callerPartnerId(c), c.req.valid("param").id);
    return c.json(toEndpointWithSecret(endpoint), 200);
  });
