import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The outbox: one row per event per receiving partner, written in the same atomic batch as the movement
 * that causes it. The webhook dispatcher delivers from here; `id` is the `webhook-id` receivers dedupe on.
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    type: text("type").notNull(),
    /** The whole webhook body, `{ type, timestamp, data }`, as sent. */
    payload: text("payload").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** When the dispatcher turned the event into deliveries to the partner's endpoints; null until then. */
    fannedOutAt: integer("fanned_out_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("events_partner").on(t.partnerId, t.id),
    index("events_created").on(t.createdAt),
    index("events_unfanned").on(t.createdAt).where(sql`fanned_out_at is null`),
  ],
);
