import { z } from "@hono/zod-openapi";
import { eventTypes } from "../../domain/outbox";
import { rotationOverlapMs, type WebhookEndpoint } from "../../webhooks/endpoints";

export const EventTypeSchema = z.enum(eventTypes).openapi("EventType");

export const EndpointIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "whe_01jdz7b2d4f6h8k0m2p4r6t8v0" }),
});

export const WebhookUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .openapi({
    example: "https://api.skyways.example/loyalty/webhooks",
    description:
      "HTTPS. Loopback, private, link-local and reserved addresses are refused, here and again at every delivery " +
      "(the addresses the name resolves to), unless the gateway runs with WEBHOOK_ALLOW_PRIVATE_TARGETS=true.",
  });

export const WebhookEndpointSchema = z
  .object({
    id: z.string().openapi({ example: "whe_01jdz7b2d4f6h8k0m2p4r6t8v0" }),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(EventTypeSchema),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.enum(["manual", "gone", "failing"]).nullable().openapi({
      description: "`manual`: by the partner; `gone`: the receiver answered 410; `failing`: 5 days without a success",
    }),
    failing_since: z.iso.datetime().nullable().openapi({ description: "First failed attempt since the last success" }),
    secret_rotated_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("WebhookEndpoint");

export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z
    .string()
    .nullable()
    .openapi({
      example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      description:
        "The signing secret, shown only in the response that creates the endpoint or rotates its secret; null when " +
        "an Idempotency-Key replays that response (the secret is not stored with it)",
    }),
}).openapi("WebhookEndpointWithSecret");

export const toEndpoint = (row: WebhookEndpoint) =>
  WebhookEndpointSchema.parse({
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: JSON.parse(row.eventTypes),
    status: row.status,
    disabled_reason: row.disabledReason,
    failing_since: row.failingSince?.toISOString() ?? null,
    secret_rotated_at: row.previousSecretExpiresAt
      ? new Date(row.previousSecretExpiresAt.getTime() - rotationOverlapMs).toISOString()
      : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  });

export const toEndpointWithSecret = (row: WebhookEndpoint) =>
  WebhookEndpointWithSecretSchema.parse({ ...toEndpoint(row), secret: row.secret });
