import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A partner's webhook endpoint. The signing secret is kept in clear because every delivery is signed with
 * it; after a rotation the previous secret keeps signing too until `previous_secret_expires_at`.
 * `failing_since` is the first failed attempt since the last success: after 5 days the endpoint is disabled.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    /** JSON array of event types. */
    eventTypes: text("event_types").notNull(),
    status: text("status", { enum: ["enabled", "disabled"] }).notNull(),
    /** Why it is disabled: by the partner, the receiver answered 410 Gone, or 5 days of failures. */
    disabledReason: text("disabled_reason", { enum: ["manual", "gone", "failing"] }),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at", { mode: "timestamp_ms" }),
    failingSince: integer("failing_since", { mode: "timestamp_ms" }),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("webhook_endpoints_partner").on(t.partnerId, t.id),
    check("webhook_endpoints_status", sql`${t.status} in ('enabled', 'disabled')`),
  ],
);

/**
 * One event to one endpoint: created by the fan-out from the outbox, claimed by a dispatcher with a lease
 * (so concurrent dispatchers never send the same attempt twice), retried on the schedule until it succeeds
 * or runs out of attempts.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    eventId: text("event_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    partnerId: text("partner_id").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    /** Attempts made since the delivery was created or last resent: the position in the retry schedule. */
    attempts: integer("attempts").notNull(),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    leaseId: text("lease_id"),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.endpointId] }),
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_endpoint").on(t.endpointId, t.status),
  ],
);

/** The delivery log: every attempt, with what the receiver answered (or why nothing was sent). */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    partnerId: text("partner_id").notNull(),
    attempt: integer("attempt").notNull(),
    outcome: text("outcome", { enum: ["succeeded", "failed"] }).notNull(),
    responseStatus: integer("response_status"),
    /** The first 1,000 characters of the response body. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    attemptedAt: integer("attempted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("webhook_attempts_endpoint").on(t.endpointId, t.id), index("webhook_attempts_event").on(t.eventId)],
);
