import { sql } from "drizzle-orm";
import { check, integer, sqliteTable } from "drizzle-orm/sqlite-core";

/**
 * The test clock of a sandbox deployment (SANDBOX=true): how far its business clock runs ahead of real time.
 * One row (`id` 1), absent until the clock first moves, kept in the database so that every process and
 * isolate of the deployment reads the same time. It only grows: the clock never moves back.
 */
export const sandboxClock = sqliteTable(
  "sandbox_clock",
  {
    id: integer("id").primaryKey(),
    offsetMs: integer("offset_ms").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [check("sandbox_clock_one_row", sql`${t.id} = 1 and ${t.offsetMs} >= 0`)],
);
