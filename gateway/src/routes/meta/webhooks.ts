import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { eventTypes } from "../../domain/outbox";
import type { AppEnv } from "../../http/context";
import { eventData, webhookBodies } from "../events/payloads";

const headers = z.object({
  "webhook-id": z
    .string()
    .openapi({ description: "The event id (`evt_...`): deduplicate on it", example: "evt_01jdz7d4f6h8k0m2p4r6t8v0x2" }),
  "webhook-timestamp": z
    .string()
    .openapi({ description: "Unix seconds when this attempt was signed", example: "1764000000" }),
  "webhook-signature": z.string().openapi({
    description: "`v1,<base64 HMAC-SHA256>`, one per signing secret (two during a rotation), space-separated",
    example: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  }),
});

/**
 * The webhooks of the OpenAPI 3.1 document (`webhooks`): one per event type, with the Standard Webhooks
 * headers and the body `{ type, timestamp, data }`, so the reference and the SDK's types show every payload.
 */
export function registerWebhooks(app: OpenAPIHono<AppEnv>) {
  for (const type of eventTypes) {
    const { summary } = eventData[type];
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      tags: ["Webhooks"],
      summary,
      description:
        "Signed with the endpoint's secret (Standard Webhooks, svix). Verify the raw body before parsing it; answer " +
        "2xx within 15 s; delivery is at least once and unordered.",
      request: {
        headers,
        body: {
          required: true,
          content: {
            "application/json": { schema: webhookBodies[type] },
          },
        },
      },
      responses: { 200: { description: "Received (any 2xx); 410 disables the endpoint" } },
    });
  }
}
