import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A `points.expiring_soon` notice sent for one lot (a credit transaction that expires): its key makes the
 * notice once per lot however often the job runs. `points` is what was left of the lot when noticed.
 */
export const expiryNotices = sqliteTable("expiry_notices", {
  transactionId: text("transaction_id").primaryKey(),
  programId: text("program_id").notNull(),
  memberId: text("member_id").notNull(),
  points: integer("points").notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  noticedAt: integer("noticed_at", { mode: "timestamp_ms" }).notNull(),
});
