import type { OutboxRow } from "../db/queries/outbox";

/** Event types (documented under `webhooks` in /openapi.json), and the gateway's own about holds and endpoints. */
export const eventTypes = [
  "activity.recorded",
  "member.enrolled",
  "member.updated",
  "member.tier_changed",
  "member.erased",
  "points.earned",
  "points.burned",
  "points.reversed",
  "points.expired",
  "points.expiring_soon",
  "points.held",
  "points.released",
  "points.adjusted",
  "points.transferred",
  "conversion.completed",
  "conversion.held",
  "conversion.rejected",
  "conversion.failed",
  "promotion.budget_exhausted",
  "redemption.created",
  "redemption.fulfilled",
  "redemption.cancelled",
  "redemption.returned",
  "settlement.statement_ready",
  "webhook_endpoint.disabled",
  "webhook_endpoint.test",
] as const;

export type EventType = (typeof eventTypes)[number];

/**
 * An event for one partner, written to the outbox (db/queries/outbox.ts) in the same atomic write as what
 * caused it; the webhook dispatcher delivers it from there.
 */
export type OutboxEvent = OutboxRow & { type: EventType };
