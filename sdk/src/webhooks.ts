import { Webhook } from "standardwebhooks";
import type { webhooks } from "./schema.js";

type Body<T extends keyof webhooks> = webhooks[T]["post"] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** A verified webhook body, typed by its `type`, as the gateway's OpenAPI document (`webhooks`) describes it. */
export type WebhookEvent = { [T in keyof webhooks]: Body<T> }[keyof webhooks];

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function plainHeaders(headers: HeaderSource): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const plain: Record<string, string> = {};
  for (const [name, value] of entries) if (value !== undefined) plain[name.toLowerCase()] = String(value);
  return plain;
}

/**
 * Verifies a webhook as the gateway signed it (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) and returns its typed body. Pass the raw body text exactly as received: JSON that was
 * parsed and serialised again does not verify. Throws when the signature does not match any of the endpoint's
 * secrets or the timestamp is more than 5 minutes away (a replay). Deduplicate on `webhook-id`.
 */
export function verifyWebhook(rawBody: string, headers: HeaderSource, secret: string): WebhookEvent {
  return new Webhook(secret).verify(rawBody, plainHeaders(headers)) as WebhookEvent;
}

export { WebhookVerificationError } from "standardwebhooks";
