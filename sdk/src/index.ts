export { type CallOptions, type ClientOptions, createClient, type GatewayClient } from "./client.js";
export { type FieldError, GatewayError, type GatewayErrorCode } from "./errors.js";
export type { Body, OperationId, PagePromise, Query, Result } from "./operation-types.js";
export type { components, operations, paths } from "./schema.js";
export { verifyWebhook, type WebhookEvent, WebhookVerificationError } from "./webhooks.js";
