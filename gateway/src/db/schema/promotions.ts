import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./members";
import { programs } from "./programs";
import { segments } from "./segments";

/**
 * A campaign: the planning record that groups promotions (the seeds' campaign plan), with the marketing lists it
 * targets in `campaign_segments`.
 */
export const campaigns = sqliteTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    name: text("name").notNull(),
    type: text("type"),
    owner: text("owner"),
    status: text("status", { enum: ["proposed", "planned", "active", "completed"] }).notNull(),
    plannedStart: integer("planned_start", { mode: "timestamp_ms" }),
    plannedEnd: integer("planned_end", { mode: "timestamp_ms" }),
    actualStart: integer("actual_start", { mode: "timestamp_ms" }),
    actualEnd: integer("actual_end", { mode: "timestamp_ms" }),
    expectedResponsePct: real("expected_response_pct"),
    estimatedRevenueMinor: integer("estimated_revenue_minor"),
    notes: text("notes"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("campaigns_program").on(t.programId, t.id)],
);

/** The marketing lists (segments) a campaign targets; its responders are their members who earned during it. */
export const campaignSegments = sqliteTable(
  "campaign_segments",
  {
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    segmentId: text("segment_id")
      .notNull()
      .references(() => segments.id),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.segmentId] })],
);

/**
 * A promotion: when it applies (status, dates, schedule, trigger), to whom (audience, conditions), what it awards
 * (reward) and within which limits. `schedule`, `audience`, `conditions`, `challenge`, `activity_types` and
 * `reward` are JSON in the contract's shapes (domain/promotions/definition.ts parses them). `points_awarded` counts
 * every bonus point it ever paid, and its CHECK keeps it within the budget under any concurrency: a write that
 * would pass the budget fails as a whole and is planned again on fresh reads.
 */
export const promotions = sqliteTable(
  "promotions",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    campaignId: text("campaign_id").references(() => campaigns.id),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status", { enum: ["draft", "active", "paused", "ended"] }).notNull(),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }),
    trigger: text("trigger", { enum: ["earn", "challenge", "referral", "enrolment", "activity"] }).notNull(),
    schedule: text("schedule"),
    audience: text("audience"),
    conditions: text("conditions"),
    challenge: text("challenge"),
    activityTypes: text("activity_types"),
    reward: text("reward").notNull(),
    budgetPoints: integer("budget_points"),
    maxPointsPerMember: integer("max_points_per_member"),
    maxAwardsPerMember: integer("max_awards_per_member"),
    controlGroupBps: integer("control_group_bps").notNull().default(0),
    stacking: text("stacking", { enum: ["stack", "exclusive"] })
      .notNull()
      .default("stack"),
    priority: integer("priority").notNull().default(0),
    pointsAwarded: integer("points_awarded").notNull().default(0),
    /** When the budget ran out (the award that reached it); `promotion.budget_exhausted` was sent then. */
    budgetExhaustedAt: integer("budget_exhausted_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("promotions_program").on(t.programId, t.status, t.id),
    index("promotions_campaign").on(t.campaignId).where(sql`${t.campaignId} is not null`),
    check("promotions_within_budget", sql`${t.budgetPoints} is null or ${t.pointsAwarded} <= ${t.budgetPoints}`),
    check("promotions_control_group", sql`${t.controlGroupBps} between 0 and 5000`),
  ],
);

/**
 * A member's exposure to a promotion, written at its first qualifying event (an earn, activity or enrolment that
 * met schedule, audience and conditions) whether it was held out (`control`) or not (`treatment`), with what the
 * promotion paid it so far (per-member limits), a challenge's progress, and `once_awarded` for the one-off awards
 * (challenge completed, referral paid, enrolment paid) whose CHECK refuses a second one under any concurrency.
 */
export const promotionMembers = sqliteTable(
  "promotion_members",
  {
    promotionId: text("promotion_id")
      .notNull()
      .references(() => promotions.id),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    group: text("group", { enum: ["treatment", "control"] }).notNull(),
    exposedAt: integer("exposed_at", { mode: "timestamp_ms" }).notNull(),
    pointsAwarded: integer("points_awarded").notNull().default(0),
    awards: integer("awards").notNull().default(0),
    challengeEarns: integer("challenge_earns").notNull().default(0),
    challengeSpendMinor: integer("challenge_spend_minor").notNull().default(0),
    onceAwarded: integer("once_awarded").notNull().default(0),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    primaryKey({ columns: [t.promotionId, t.memberId] }),
    index("promotion_members_member").on(t.memberId),
    check("promotion_members_once", sql`${t.onceAwarded} between 0 and 1`),
  ],
);

/** A member's non-purchase action (a review written, a social share) that `activity` promotions reward. */
export const activities = sqliteTable(
  "activities",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    partnerId: text("partner_id").notNull(),
    type: text("type").notNull(),
    reference: text("reference").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("activities_member").on(t.memberId, t.createdAt),
    // The same action reported twice (another key, a retry without one) is recorded once.
    uniqueIndex("activities_one_per_reference").on(t.programId, t.memberId, t.type, t.reference),
  ],
);
