import { createRoute, z } from "@hono/zod-openapi";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { updateEndpoint } from "../../webhooks/endpoints";
import { EndpointIdParam, EventTypeSchema, toEndpoint, WebhookEndpointSchema, WebhookUrlSchema } from "./schemas";

const UpdateEndpointBody = z
  .object({
    url: WebhookUrlSchema.optional(),
    event_types: z.array(EventTypeSchema).min(1).max(50).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    status: z
      .enum(["enabled", "disabled"])
      .optional()
      .openapi({ description: "Enabling clears the failure streak; deliveries still pending resume" }),
    disabled: z.boolean().optional().openapi({ description: "The same as `status`, as Svix spells it" }),
  })
  .strict()
  .refine(
    (body) =>
      body.status === undefined || body.disabled === undefined || (body.status === "disabled") === body.disabled,
    {
      path: ["disabled"],
      message: "contradicts status",
    },
  )
  .openapi("UpdateWebhookEndpoint", { example: { status: "enabled" } });

export const route = createRoute({
  method: "patch",
  path: "/v1/webhook-endpoints/{id}",
  operationId: "updateWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Update a webhook endpoint",
  description:
    "Changes its URL, event types or description, or enables or disables it. Fields left out keep their value.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage")] as const,
  request: {
    params: EndpointIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateEndpointBody } } },
  },
  responses: {
    200: { description: "The updated endpoint", content: { "application/json": { schema: WebhookEndpointSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type UpdateWebhookEndpointRequest = OperationRequest<typeof route>;
export type UpdateWebhookEndpointResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const endpoint = await updateEndpoint(c.get("deps"), callerPartnerId(c), c.req.valid("param").id, {
      url: body.url,
      eventTypes: body.event_types,
      description: body.description,
      status: body.status ?? (body.disabled === undefined ? undefined : body.disabled ? "disabled" : "enabled"),
    });
    return c.json(toEndpoint(endpoint), 200);
  });
