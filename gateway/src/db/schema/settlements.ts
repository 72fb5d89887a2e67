import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * A closed settlement period `[start, end)`. It settles every movement not settled before and made before
 * `end` (so a movement committed while the previous period was being closed falls in this one). Periods
 * follow each other: `previous_period_id` is unique ('none' for the first), so of two concurrent closes
 * only one can follow the same period.
 */
export const settlementPeriods = sqliteTable(
  "settlement_periods",
  {
    id: text("id").primaryKey(),
    start: integer("start", { mode: "timestamp_ms" }).notNull(),
    end: integer("end", { mode: "timestamp_ms" }).notNull(),
    previousPeriodId: text("previous_period_id").notNull(),
    closedBy: text("closed_by").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("settlement_periods_previous").on(t.previousPeriodId)],
);

/**
 * One partner's statement for one period and currency: an immutable document (lines and totals as JSON)
 * and the SHA-256 of it, so any later change would show.
 */
export const statements = sqliteTable(
  "statements",
  {
    id: text("id").primaryKey(),
    periodId: text("period_id").notNull(),
    partnerId: text("partner_id").notNull(),
    currency: text("currency").notNull(),
    /** Σ receivable − Σ payable, in minor units. */
    netAmountMinor: integer("net_amount_minor").notNull(),
    /** The statement document (what the JSON, CSV and PDF show), canonical JSON. */
    document: text("document").notNull(),
    contentHash: text("content_hash").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("statements_partner").on(t.partnerId, t.id), index("statements_period").on(t.periodId)],
);

/**
 * With several databases (docs/scale-out.md): a period whose statements are issued. Each database marks its own
 * journal under the period's id first, then the statements are issued in main in one write with this row, whose
 * primary key lets that write (and its `settlement.statement_ready` events) happen once. A close on one database
 * writes it in its single write too, and migration 0024 wrote it for every period before (all closed on one
 * database), so a period counts as issued by this row alone, even one with no statement, when shards are turned on.
 */
export const statementIssues = sqliteTable("statement_issues", {
  periodId: text("period_id").primaryKey(),
  issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
});
