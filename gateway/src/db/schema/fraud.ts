import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Velocity rules of a program, set by the operator. Amount rules consume points; counts count operations.
 * Each limit rule says what a breach does: reject the operation, or hold it for review. The single-operation
 * review threshold lives on the program (`programs.review_threshold_points`).
 */
export const programVelocityRules = sqliteTable(
  "program_velocity_rules",
  {
    programId: text("program_id").primaryKey(),
    maxEarnPointsPerMemberPerDay: integer("max_earn_points_per_member_per_day"),
    earnAction: text("earn_action", { enum: ["reject"] })
      .notNull()
      .default("reject"),
    maxBurnsPerMemberPerHour: integer("max_burns_per_member_per_hour"),
    burnAction: text("burn_action", { enum: ["reject", "hold"] })
      .notNull()
      .default("reject"),
    maxConversionPointsPerMemberPerDay: integer("max_conversion_points_per_member_per_day"),
    conversionAction: text("conversion_action", { enum: ["reject", "hold"] })
      .notNull()
      .default("hold"),
    holdFirstConversionToNewDestination: integer("hold_first_conversion_to_new_destination", { mode: "boolean" })
      .notNull()
      .default(false),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    check(
      "program_velocity_rules_actions",
      sql`${t.burnAction} in ('reject', 'hold') and ${t.conversionAction} in ('reject', 'hold')`,
    ),
  ],
);

/** Every time a fraud rule decided something: which rule, whose operation, and the decision. */
export const fraudEvents = sqliteTable(
  "fraud_events",
  {
    id: text("id").primaryKey(),
    rule: text("rule").notNull(),
    decision: text("decision", { enum: ["rejected", "held"] }).notNull(),
    operation: text("operation", { enum: ["earn", "burn", "conversion"] }).notNull(),
    partnerId: text("partner_id").notNull(),
    programId: text("program_id").notNull(),
    memberId: text("member_id").notNull(),
    points: integer("points").notNull(),
    detail: text("detail").notNull(),
    reviewId: text("review_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("fraud_events_created").on(t.createdAt),
    index("fraud_events_partner").on(t.partnerId, t.id),
    index("fraud_events_member").on(t.memberId, t.id),
  ],
);
