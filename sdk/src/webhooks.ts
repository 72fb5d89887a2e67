import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { webhooks } from "./schema.js";

/** Every event type the gateway sends (`points.earned`, `conversion.completed`...). */
export type WebhookEventType = keyof webhooks;

type Body<T extends WebhookEventType> = webhooks[T]["post"] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;

/**
 * A webhook body `{ type, timestamp, data }`, typed by its `type` as the gateway's OpenAPI document (`webhooks`)
 * describes it: `WebhookEvent` is the union of all, `WebhookEvent<"points.earned">` one of them.
 */
export type WebhookEvent<T extends WebhookEventType = WebhookEventType> = { [K in T]: Body<K> }[T];

/** A verified delivery: its `webhook-id` (deduplicate on it), when it was signed, and its typed event. */
export type VerifiedWebhook = { id: string; timestamp: Date; event: WebhookEvent };

const signatureHeaders = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function plainHeaders(headers: HeaderSource): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const plain: Record<string, string> = {};
  for (const [name, value] of entries) if (value !== undefined) plain[name.toLowerCase()] = String(value);
  return plain;
}

/** The endpoint's signer; a secret that is not `whsec_` and base64 is refused as a verification failure. */
function signer(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch (error) {
    throw Object.assign(
      new WebhookVerificationError(
        "The webhook secret is malformed: expected the endpoint's secret as the gateway showed it (whsec_ and base64)",
      ),
      { cause: error },
    );
  }
}

/**
 * Verifies a webhook as the gateway signed it (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) and returns its id, signing time and typed event. Pass the raw body exactly as received
 * (the text, or its bytes): JSON that was parsed and serialised again does not verify. Throws
 * `WebhookVerificationError` when the signature matches none of the endpoint's secrets, the timestamp is more
 * than 5 minutes away (a replay), a header is missing, or the secret is malformed. Deduplicate on `id`.
 */
export function verifyWebhook(rawBody: string | Uint8Array, headers: HeaderSource, secret: string): VerifiedWebhook {
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array))
    throw new WebhookVerificationError(
      "Pass the raw body as received (the text or its bytes), not parsed JSON: with Express, use express.raw() or express.text() on the webhook route",
    );
  const plain = plainHeaders(headers);
  const missing = signatureHeaders.filter((name) => !plain[name]);
  if (missing.length > 0)
    throw new WebhookVerificationError(
      `Missing ${missing.join(", ")}: pass the request's headers as received (a Headers object or Node's req.headers)`,
    );
  const text = typeof rawBody === "string" ? rawBody : new TextDecoder("utf-8", { fatal: false }).decode(rawBody);
  const event = signer(secret).verify(text, plain) as WebhookEvent;
  return {
    id: plain["webhook-id"] ?? "",
    timestamp: new Date(Number(plain["webhook-timestamp"]) * 1000),
    event,
  };
}

export { WebhookVerificationError };
