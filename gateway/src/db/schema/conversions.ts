import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Published conversion rates per ordered program pair: `from_points` of the source buy `to_points` of the
 * destination. Rows are never updated: a newer rate for the pair supersedes the older from its `valid_from`.
 */
export const conversionRates = sqliteTable(
  "conversion_rates",
  {
    id: text("id").primaryKey(),
    fromProgramId: text("from_program_id").notNull(),
    toProgramId: text("to_program_id").notNull(),
    fromPoints: integer("from_points").notNull(),
    toPoints: integer("to_points").notNull(),
    minPoints: integer("min_points").notNull(),
    increment: integer("increment").notNull(),
    maxPointsPerDay: integer("max_points_per_day"),
    feeBps: integer("fee_bps").notNull(),
    validFrom: integer("valid_from", { mode: "timestamp_ms" }).notNull(),
    validUntil: integer("valid_until", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("conversion_rates_pair").on(t.fromProgramId, t.toProgramId, t.validFrom),
    check(
      "conversion_rates_valid",
      sql`${t.fromPoints} > 0 and ${t.toPoints} > 0 and ${t.minPoints} > 0 and ${t.increment} > 0
        and ${t.feeBps} >= 0 and ${t.feeBps} < 10000 and ${t.fromProgramId} <> ${t.toProgramId}`,
    ),
  ],
);

/** A rate locked for one member's conversion until `expires_at`; executing it creates the conversion. */
export const quotes = sqliteTable(
  "quotes",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    rateId: text("rate_id").notNull(),
    fromProgramId: text("from_program_id").notNull(),
    fromMemberId: text("from_member_id").notNull(),
    toProgramId: text("to_program_id").notNull(),
    toMemberId: text("to_member_id").notNull(),
    /**
     * The destination member's number, kept here because that member may live in another database (docs/scale-out.md):
     * the quote's and its conversion's answers show it without reading there.
     */
    toExternalId: text("to_external_id"),
    fromPoints: integer("from_points").notNull(),
    feePoints: integer("fee_points").notNull(),
    toPoints: integer("to_points").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("quotes_partner").on(t.partnerId)],
);

/**
 * An executed quote: completed, or held for review with the points reserved. Between programs on different databases
 * (docs/scale-out.md) it is `pending` while its saga runs, then `completed`, or `failed` when the destination refused. `quote_id` is unique, so a
 * quote converts at most once. The settlement obligation (the source program pays the destination program
 * for `to_points` at the destination's issue price) is fixed here at execution.
 */
export const conversions = sqliteTable(
  "conversions",
  {
    id: text("id").primaryKey(),
    quoteId: text("quote_id").notNull(),
    partnerId: text("partner_id").notNull(),
    rateId: text("rate_id").notNull(),
    fromProgramId: text("from_program_id").notNull(),
    fromMemberId: text("from_member_id").notNull(),
    toProgramId: text("to_program_id").notNull(),
    toMemberId: text("to_member_id").notNull(),
    fromPoints: integer("from_points").notNull(),
    feePoints: integer("fee_points").notNull(),
    toPoints: integer("to_points").notNull(),
    settlementPriceMicros: integer("settlement_price_micros").notNull(),
    settlementCurrency: text("settlement_currency").notNull(),
    status: text("status", { enum: ["completed", "held", "rejected", "pending", "failed"] }).notNull(),
    reviewId: text("review_id"),
    /** The `hold` transaction that reserved the points while the conversion waits for review or for its saga. */
    holdTransactionId: text("hold_transaction_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("conversions_quote").on(t.quoteId),
    index("conversions_from_member").on(t.fromMemberId, t.createdAt),
    index("conversions_to_member").on(t.toMemberId),
  ],
);

/**
 * Points a member converted per rate pair per UTC day, against the rate's daily maximum. The CHECK makes
 * the limit hold under concurrency: a conversion that would pass it fails inside its own atomic write.
 */
export const conversionDailyUsage = sqliteTable(
  "conversion_daily_usage",
  {
    memberId: text("member_id").notNull(),
    toProgramId: text("to_program_id").notNull(),
    day: text("day").notNull(),
    points: integer("points").notNull(),
    limitPoints: integer("limit_points").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.toProgramId, t.day] }),
    check("conversion_daily_usage_within_limit", sql`${t.points} <= ${t.limitPoints}`),
  ],
);

/** A held operation waiting for the operator, and how it was decided (who, when, why). */
export const reviews = sqliteTable(
  "reviews",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["conversion", "burn", "redemption", "transfer"] }).notNull(),
    conversionId: text("conversion_id"),
    /** For a held redemption or transfer: the order or transfer waiting for the decision. */
    redemptionId: text("redemption_id"),
    transferId: text("transfer_id"),
    /** For a held burn: the hold that reserved the points, and the burn's reference and description. */
    holdTransactionId: text("hold_transaction_id"),
    reference: text("reference"),
    description: text("description"),
    partnerId: text("partner_id").notNull(),
    programId: text("program_id").notNull(),
    memberId: text("member_id").notNull(),
    points: integer("points").notNull(),
    rule: text("rule").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] }).notNull(),
    decidedBy: text("decided_by"),
    decisionReason: text("decision_reason"),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("reviews_status").on(t.status, t.id)],
);

/** One row per decided review: its primary key is what makes a second, concurrent decision fail. */
export const reviewDecisions = sqliteTable("review_decisions", {
  reviewId: text("review_id").primaryKey(),
  decision: text("decision", { enum: ["approved", "rejected"] }).notNull(),
  decidedAt: integer("decided_at", { mode: "timestamp_ms" }).notNull(),
});
