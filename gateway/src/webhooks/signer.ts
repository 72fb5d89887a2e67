import { Webhook } from "svix";

/** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries expect. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The Standard Webhooks headers for one attempt, signed with svix's `Webhook.sign`. With several secrets
 * (during a rotation) `webhook-signature` carries one `v1,<base64>` per secret, space-separated, so receivers
 * verifying with either the old or the new secret accept it.
 */
export function signedHeaders(
  secrets: readonly string[],
  input: { eventId: string; at: Date; payload: string },
): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(input.eventId, input.at, input.payload));
  return {
    "webhook-id": input.eventId,
    "webhook-timestamp": String(Math.floor(input.at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
