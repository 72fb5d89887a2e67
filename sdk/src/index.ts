export { type ClientOptions, createClient, type GatewayClient } from "./client.js";
export { type FieldError, GatewayError, type GatewayErrorCode } from "./errors.js";
export type * from "./models.js";
export type {
  ApiPromise,
  Body,
  CallOptions,
  IdempotentCallOptions,
  OperationId,
  PagePromise,
  Query,
  Result,
} from "./operation-types.js";
export type { RateLimit, ResponseMeta } from "./response-meta.js";
export type { components, operations, paths } from "./schema.js";
export {
  type VerifiedWebhook,
  verifyWebhook,
  type WebhookEvent,
  type WebhookEventType,
  WebhookVerificationError,
} from "./webhooks.js";
