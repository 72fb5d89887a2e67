import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { programs } from "./programs";

/**
 * A program's journal folded by local day (in the zone `report_rollup_zones` names), written by the idempotent
 * roll-up job: each figure is what the KPI report says for that day, reversals netted in the day they were made.
 * Reports add the journal's rows the job has not reached yet (`rowid` above `report_rollup_state.last_rowid`),
 * folded by the same code, so a report always equals the journal.
 */
export const reportDaily = sqliteTable(
  "report_daily",
  {
    programId: text("program_id").notNull(),
    /** YYYY-MM-DD in the program's zone. */
    day: text("day").notNull(),
    pointsEarned: integer("points_earned").notNull().default(0),
    bonusPoints: integer("bonus_points").notNull().default(0),
    pointsBurned: integer("points_burned").notNull().default(0),
    pointsRedeemed: integer("points_redeemed").notNull().default(0),
    pointsConvertedIn: integer("points_converted_in").notNull().default(0),
    pointsConvertedOut: integer("points_converted_out").notNull().default(0),
    pointsTransferred: integer("points_transferred").notNull().default(0),
    pointsExpired: integer("points_expired").notNull().default(0),
    pointsAdjusted: integer("points_adjusted").notNull().default(0),
    /** The change of the points members hold (available and pending) that day: liability's fold. */
    outstandingChange: integer("outstanding_change").notNull().default(0),
    transactions: integer("transactions").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.programId, t.day] })],
);

/**
 * Who was active (an earn, burn, redemption, conversion or transfer of their own) in a local day, ISO week or
 * month of the program's zone: distinct counts over a bucket or a range read these instead of the journal.
 * `bucket` is the bucket's first day, YYYY-MM-DD.
 */
export const reportActiveMembers = sqliteTable(
  "report_active_members",
  {
    programId: text("program_id").notNull(),
    grain: text("grain", { enum: ["day", "week", "month"] }).notNull(),
    bucket: text("bucket").notNull(),
    memberId: text("member_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.grain, t.bucket, t.memberId] })],
);

/**
 * How far the roll-up job got: every journal row up to `last_rowid` (SQLite's rowid, which only grows: the journal
 * is never deleted from) is in the roll-ups. One row, `scope` = "ledger".
 */
export const reportRollupState = sqliteTable("report_rollup_state", {
  scope: text("scope").primaryKey(),
  lastRowid: integer("last_rowid").notNull(),
  rolledAt: integer("rolled_at", { mode: "timestamp_ms" }).notNull(),
});

/** The zone each program's roll-ups were bucketed in; a program whose zone changed is rolled up again. */
export const reportRollupZones = sqliteTable("report_rollup_zones", {
  programId: text("program_id").primaryKey(),
  timezone: text("timezone").notNull(),
});

/** A saved ad-hoc report: a dataset with documented dimensions, measures and filters (never SQL). */
export const reportDefinitions = sqliteTable(
  "report_definitions",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    name: text("name").notNull(),
    dataset: text("dataset", { enum: ["transactions", "members", "redemptions", "touchpoints"] }).notNull(),
    /** JSON: { dimensions, measures, filters?, interval? } as accepted. */
    definition: text("definition").notNull(),
    /** The partner (or operator) that saved it. */
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("report_definitions_program").on(t.programId, t.id)],
);
