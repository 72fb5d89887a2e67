import { Webhook } from "standardwebhooks";
import type { components } from "./schema.js";

type Schemas = components["schemas"];

/** What the event types about members, transactions and conversions carry in `data`. */
type KnownData = {
  "member.enrolled": Schemas["Member"];
  "points.earned": Schemas["Transaction"];
  "points.burned": Schemas["Transaction"];
  "points.reversed": Schemas["Transaction"];
  "points.held": Schemas["Transaction"];
  "points.released": Schemas["Transaction"];
  "conversion.completed": Schemas["Conversion"];
  "conversion.held": Schemas["Conversion"];
  "conversion.rejected": Schemas["Conversion"];
};

/** A verified webhook body, typed by its `type`. */
export type WebhookEvent = {
  [T in Schemas["EventType"]]: {
    type: T;
    timestamp: string;
    data: T extends keyof KnownData ? KnownData[T] : Record<string, unknown>;
  };
}[Schemas["EventType"]];

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
