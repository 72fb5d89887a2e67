import { createRoute, z } from "@hono/zod-openapi";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { createEndpoint } from "../../webhooks/endpoints";
import { EventTypeSchema, toEndpointWithSecret, WebhookEndpointWithSecretSchema, WebhookUrlSchema } from "./schemas";

const CreateEndpointBody = z
  .object({
    url: WebhookUrlSchema,
    event_types: z.array(EventTypeSchema).min(1).max(50),
    description: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi("CreateWebhookEndpoint", {
    example: {
      url: "https://api.skyways.example/loyalty/webhooks",
      event_types: ["points.earned", "points.burned", "conversion.completed"],
      description: "Production ledger sync",
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/webhook-endpoints",
  operationId: "createWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Create a webhook endpoint",
  description:
    "Events of the listed types are POSTed to the URL in the Standard Webhooks format, signed with the endpoint's " +
    "secret (`whsec_...`), which is shown only in this response and when rotated.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [
    requireScope("webhooks:manage"),
    idempotency({ required: false, atomic: false, redact: (body) => ({ ...body, secret: null }) }),
  ] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateEndpointBody } } } },
  responses: {
    201: {
      description: "The endpoint with its signing secret",
      content: { "application/json": { schema: WebhookEndpointWithSecretSchema } },
    },
    ...errorResponses(400, 401, 403, 415, 422),
  },
});

export type CreateWebhookEndpointRequest = OperationRequest<typeof route>;
export type CreateWebhookEndpointResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const endpoint = await createEndpoint(c.get("deps"), callerPartnerId(c), {
      url: body.url,
      eventTypes: body.event_types,
      description: body.description ?? null,
    });
    return c.json(toEndpointWithSecret(endpoint), 201);
  });
