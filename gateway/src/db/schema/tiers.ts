import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./members";
import { programs } from "./programs";

/**
 * A program's tier table, lowest first (`position` 0 is the entry tier, without minimums). A member is in the
 * highest tier any one of whose minimums its qualifying activity in the trailing window meets.
 */
export const programTiers = sqliteTable(
  "program_tiers",
  {
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    key: text("key").notNull(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    minPoints: integer("min_points"),
    minPurchases: integer("min_purchases"),
    minSpendMinor: integer("min_spend_minor"),
    /** Accrual bonus on each earn by a member holding this tier, in basis points of the earn's points. */
    earnBonusBps: integer("earn_bonus_bps").notNull(),
    /** Paid once per member, ever, when the member reaches this tier by qualifying. */
    upgradeBonusPoints: integer("upgrade_bonus_points").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.key] }),
    uniqueIndex("program_tiers_position").on(t.programId, t.position),
    check("program_tiers_bonuses", sql`${t.earnBonusBps} >= 0 and ${t.upgradeBonusPoints} >= 0`),
  ],
);

/** Every change of a member's tier, kept when the tier table changes: the member's tier history. */
export const memberTierChanges = sqliteTable(
  "member_tier_changes",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").notNull(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    fromKey: text("from_key"),
    toKey: text("to_key").notNull(),
    /** `qualified` by an earn, `requalified` by the daily re-evaluation or a new tier table, `manual`. */
    reason: text("reason", { enum: ["qualified", "requalified", "manual"] }).notNull(),
    /** For a manual tier: why, and the credential or portal user that set it. */
    note: text("note"),
    actor: text("actor"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("member_tier_changes_member").on(t.memberId, t.at),
    index("member_tier_changes_program").on(t.programId, t.at),
  ],
);

/**
 * Never holds a row: a write inserts one only when a fact it was planned on no longer holds (see
 * `assertStatement`), and the CHECK then refuses the whole atomic write so it can be planned again.
 */
export const writeAssertions = sqliteTable("write_assertions", { failed: text("failed") }, (t) => [
  check("write_assertion_failed", sql`${t.failed} is null`),
]);
