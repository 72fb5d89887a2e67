import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { partners } from "./partners";

/** A points currency run by one partner. Prices are micros (millionths of the currency) per point. */
export const programs = sqliteTable(
  "programs",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    name: text("name").notNull(),
    pointName: text("point_name").notNull(),
    settlementCurrency: text("settlement_currency").notNull(),
    /** The published prices; the owner's agreement starts with them, other partners' agreements may differ. */
    issuePriceMicros: integer("issue_price_micros").notNull(),
    redeemPriceMicros: integer("redeem_price_micros").notNull(),
    pointsExpireAfterDays: integer("points_expire_after_days"),
    /** Conversions out of this program above this many points are held for the operator's review. */
    reviewThresholdPoints: integer("review_threshold_points"),
    /** IANA time zone that places the program's days: "per day" limits, schedules, report buckets. */
    timezone: text("timezone").notNull().default("UTC"),
    /** A closed program takes no new members or movements; its history stays. */
    status: text("status", { enum: ["active", "closed"] })
      .notNull()
      .default("active"),
    /** The trailing window tiers qualify over, in days; null while the program has no tier table. */
    tierWindowDays: integer("tier_window_days"),
    /** Bumped by every change of the tier table, so a write planned against an older table is refused. */
    tierTableVersion: integer("tier_table_version").notNull().default(0),
    tiersUpdatedAt: integer("tiers_updated_at", { mode: "timestamp_ms" }),
    /**
     * Bumped by every change of the program's promotions or segments (which audiences name), so an earn planned on
     * an older set is refused, and the engine's cache of both is keyed by it.
     */
    promotionsVersion: integer("promotions_version").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("programs_partner").on(t.partnerId),
    check("programs_prices", sql`${t.issuePriceMicros} >= 0 and ${t.redeemPriceMicros} >= 0`),
    check("programs_expiry", sql`${t.pointsExpireAfterDays} is null or ${t.pointsExpireAfterDays} > 0`),
  ],
);

/**
 * What a partner may do in a program, and at what prices. Rows are never updated: a newer row for the
 * same program and partner supersedes the older from its `valid_from`, so settlement can price every
 * movement with the agreement in force when it happened.
 */
export const agreements = sqliteTable(
  "agreements",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    canEarn: integer("can_earn", { mode: "boolean" }).notNull(),
    canBurn: integer("can_burn", { mode: "boolean" }).notNull(),
    issuePriceMicros: integer("issue_price_micros").notNull(),
    redeemPriceMicros: integer("redeem_price_micros").notNull(),
    /** Earn rate for purchases: `earn_points` points per `earn_per_amount_minor` minor units, rounded down. */
    earnPoints: integer("earn_points").notNull().default(1),
    earnPerAmountMinor: integer("earn_per_amount_minor").notNull().default(100),
    validFrom: integer("valid_from", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("agreements_program_partner").on(t.programId, t.partnerId, t.validFrom),
    index("agreements_partner").on(t.partnerId),
    check("agreements_prices", sql`${t.issuePriceMicros} >= 0 and ${t.redeemPriceMicros} >= 0`),
    check("agreements_earn_rate", sql`${t.earnPoints} >= 0 and ${t.earnPerAmountMinor} > 0`),
  ],
);
