export { type CallOptions, type ClientOptions, createClient, type GatewayClient } from "./client.js";
export { type FieldError, GatewayError } from "./errors.js";
export type { components, operations, paths } from "./schema.js";
export { verifyWebhook, type WebhookEvent, WebhookVerificationError } from "./webhooks.js";
