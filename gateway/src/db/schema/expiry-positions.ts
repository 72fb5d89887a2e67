import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * How far the expiry job (`expiry`) and the expiring-soon notices (`expiring_soon`) got in a program, so that a run
 * reads only what changed since: the run at `run_at` (business time) examined every lot that had fallen due by then
 * (or, for the notices, that expired within 30 days of it) and every journal row up to `last_rowid` (SQLite's rowid,
 * which only grows: the journal is never deleted from). A member with neither a lot that fell due (or came within
 * 30 days) since nor a journal row after it is as the last run left it, which had nothing more to do for it.
 * Absent until a program's first run, which examines all its lots.
 */
export const expiryPositions = sqliteTable(
  "expiry_positions",
  {
    programId: text("program_id").notNull(),
    job: text("job", { enum: ["expiry", "expiring_soon"] }).notNull(),
    runAt: integer("run_at", { mode: "timestamp_ms" }).notNull(),
    lastRowid: integer("last_rowid").notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.job] })],
);
