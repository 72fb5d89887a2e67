import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./members";
import { partners } from "./partners";
import { programs } from "./programs";

/** What a program's members may spend points on. `sku` is unique per program. */
export const rewards = sqliteTable(
  "rewards",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    type: text("type", {
      enum: ["voucher", "product", "service", "experience", "cashback", "donation"],
    }).notNull(),
    pointsPrice: integer("points_price").notNull(),
    /** JSON array of the tier keys that may redeem it; null: every member. */
    tiers: text("tiers"),
    /**
     * Units left to redeem, reserved by held orders too; null: unlimited. A `code` reward keeps it null: its stock
     * is its available codes.
     */
    stock: integer("stock"),
    perMemberLimit: integer("per_member_limit"),
    fulfilment: text("fulfilment", { enum: ["code", "partner", "manual"] }).notNull(),
    /** The partner that fulfils orders; its burns on statements. Null: the program's owner. */
    fulfillingPartnerId: text("fulfilling_partner_id").references(() => partners.id),
    availableFrom: integer("available_from", { mode: "timestamp_ms" }),
    availableUntil: integer("available_until", { mode: "timestamp_ms" }),
    active: integer("active", { mode: "boolean" }).notNull(),
    /** JSON object: locale -> { name, description? }. */
    translations: text("translations").notNull().default("{}"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("rewards_program_sku").on(t.programId, t.sku),
    index("rewards_program").on(t.programId, t.id),
    // An order that would take the stock below zero is refused inside its write (`out_of_stock`).
    check("rewards_in_stock", sql`${t.stock} is null or ${t.stock} >= 0`),
    check("rewards_price_positive", sql`${t.pointsPrice} > 0`),
  ],
);

/**
 * A `code` reward's voucher codes. A code goes `available` -> `assigned` (to one redemption, forever) -> `void`
 * (its order cancelled, returned or rejected); never back: a code is handed out at most once, ever.
 */
export const rewardCodes = sqliteTable(
  "reward_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rewardId: text("reward_id")
      .notNull()
      .references(() => rewards.id),
    code: text("code").notNull(),
    status: text("status", { enum: ["available", "assigned", "void"] }).notNull(),
    redemptionId: text("redemption_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    assignedAt: integer("assigned_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("reward_codes_reward_code").on(t.rewardId, t.code),
    // The next available codes, oldest first.
    index("reward_codes_available").on(t.rewardId, t.id).where(sql`${t.status} = 'available'`),
    index("reward_codes_redemption").on(t.redemptionId).where(sql`${t.redemptionId} is not null`),
    // Assigned and void codes always name their redemption; available ones never do.
    check("reward_codes_assignment", sql`(${t.status} = 'available') = (${t.redemptionId} is null)`),
  ],
);

/**
 * A redemption order: the member's points for `quantity` of a reward. `transaction_id` is the burn (or, while held
 * for review, the hold) that paid for it; on statements it is a burn by `fulfilling_partner_id`.
 */
export const redemptions = sqliteTable(
  "redemptions",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    rewardId: text("reward_id")
      .notNull()
      .references(() => rewards.id),
    /** The partner that placed the order. */
    partnerId: text("partner_id").notNull(),
    fulfillingPartnerId: text("fulfilling_partner_id").notNull(),
    quantity: integer("quantity").notNull(),
    points: integer("points").notNull(),
    status: text("status", {
      enum: ["held", "pending", "fulfilled", "cancelled", "returned", "rejected"],
    }).notNull(),
    transactionId: text("transaction_id").notNull(),
    reviewId: text("review_id"),
    /** JSON: { name, address_lines, city, postal_code, country, phone? }. */
    delivery: text("delivery"),
    trackingReference: text("tracking_reference"),
    cancelReason: text("cancel_reason"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    fulfilledAt: integer("fulfilled_at", { mode: "timestamp_ms" }),
    cancelledAt: integer("cancelled_at", { mode: "timestamp_ms" }),
    returnedAt: integer("returned_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("redemptions_status").on(t.status, t.id),
    index("redemptions_program_status").on(t.programId, t.status, t.id),
    index("redemptions_member").on(t.memberId, t.id),
    index("redemptions_member_reward").on(t.memberId, t.rewardId),
    // Reports tell a catalogue redemption's burn from a plain burn by it.
    index("redemptions_transaction").on(t.transactionId),
    check("redemptions_quantity", sql`${t.quantity} between 1 and 100`),
  ],
);

/** A program's rules for members giving points to each other; no row: the defaults (disabled). */
export const transferRules = sqliteTable("transfer_rules", {
  programId: text("program_id")
    .primaryKey()
    .references(() => programs.id),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  minPoints: integer("min_points").notNull(),
  maxPointsPerMemberPerMonth: integer("max_points_per_member_per_month"),
  feeBps: integer("fee_bps").notNull(),
  minMembershipDays: integer("min_membership_days").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Points given by one member to another in the same program: the sender's `transfer_out` (all `points`), the
 * receiver's `transfer_in` (`received_points`), the fee to the program's fees account. `month` is the calendar
 * month in the program's time zone ("2026-12") that the monthly maximum counts in.
 */
export const transfers = sqliteTable(
  "transfers",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    fromMemberId: text("from_member_id")
      .notNull()
      .references(() => members.id),
    toMemberId: text("to_member_id")
      .notNull()
      .references(() => members.id),
    partnerId: text("partner_id").notNull(),
    points: integer("points").notNull(),
    feePoints: integer("fee_points").notNull(),
    receivedPoints: integer("received_points").notNull(),
    reference: text("reference").notNull(),
    status: text("status", { enum: ["completed", "held", "rejected"] }).notNull(),
    month: text("month").notNull(),
    outTransactionId: text("out_transaction_id").notNull(),
    inTransactionId: text("in_transaction_id"),
    reviewId: text("review_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("transfers_from_month").on(t.fromMemberId, t.month),
    index("transfers_program").on(t.programId, t.id),
    check(
      "transfers_amounts",
      sql`${t.points} > 0 and ${t.feePoints} >= 0 and ${t.receivedPoints} = ${t.points} - ${t.feePoints}`,
    ),
    check("transfers_not_to_oneself", sql`${t.fromMemberId} <> ${t.toMemberId}`),
  ],
);

/**
 * Why a write refused itself: `refusalStatement` (db/queries/refusals.ts) inserts a reason here when a fact
 * decided inside the write does not hold, and the CHECK named `refused_<reason>` rolls the whole write back; the
 * domain maps the name to its problem. Nothing is ever stored.
 */
export const refusalReasons = ["out_of_stock", "limit_exceeded", "invalid_state", "not_eligible"] as const;

export const writeRefusals = sqliteTable("write_refusals", { refused: text("refused") }, (t) =>
  refusalReasons.map((reason) => check(`refused_${reason}`, sql`${t.refused} is not ${sql.raw(`'${reason}'`)}`)),
);
