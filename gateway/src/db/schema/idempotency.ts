import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The stored first response of each `Idempotency-Key`, per partner. Written in the same atomic batch as
 * the movement it records, so a key has an effect at most once. Kept at least 24 h, then cleaned up.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    partnerId: text("partner_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code").notNull(),
    responseBody: text("response_body").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.key] }), index("idempotency_keys_created").on(t.createdAt)],
);
