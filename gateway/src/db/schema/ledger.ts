import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Every balance of the double-entry ledger. A member has two accounts: `mem_...` (available points) and
 * `mem_...:hold` (points reserved by held operations). Programs have `prg_...:issuance` (goes negative as
 * points are issued), `prg_...:expired` and `prg_...:redeemed:ptn_...` per redeeming partner.
 * The CHECK is what makes overdraft impossible under any concurrency: a batch that would take a member
 * account below zero fails as a whole.
 */
export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").notNull(),
    kind: text("kind", {
      enum: ["member", "member_hold", "issuance", "redeemed", "expired", "conversion", "transfer_fees"],
    }).notNull(),
    memberId: text("member_id"),
    partnerId: text("partner_id"),
    balance: integer("balance").notNull().default(0),
  },
  (t) => [
    index("accounts_program").on(t.programId),
    check("accounts_member_non_negative", sql`${t.kind} not in ('member', 'member_hold') or ${t.balance} >= 0`),
  ],
);

/**
 * One business movement (earn, burn, reversal, expiry, conversion leg, adjustment): who caused it, in which
 * program, for which member. Its money-relevant facts never change; `reversed_points` only counts how much
 * later reversals took back, and a CHECK keeps it within `points`.
 */
export const ledgerTransactions = sqliteTable(
  "ledger_transactions",
  {
    id: text("id").primaryKey(),
    type: text("type", {
      enum: [
        "earn",
        "burn",
        "reversal",
        "expiry",
        "conversion_out",
        "conversion_in",
        "hold",
        "release",
        "adjustment",
        "bonus",
        "transfer_out",
        "transfer_in",
      ],
    }).notNull(),
    programId: text("program_id").notNull(),
    memberId: text("member_id").notNull(),
    partnerId: text("partner_id").notNull(),
    points: integer("points").notNull(),
    reversedPoints: integer("reversed_points").notNull().default(0),
    balanceAfter: integer("balance_after").notNull(),
    reference: text("reference"),
    description: text("description"),
    originalTransactionId: text("original_transaction_id"),
    /** For earns: when these points expire (null: never). For expiries: the lot boundary they expire through. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    purchaseAmountMinor: integer("purchase_amount_minor"),
    purchaseCurrency: text("purchase_currency"),
    /** Where the movement happened: store, web, app, call_center, partner, other (reports group by it). */
    channel: text("channel"),
    storeId: text("store_id"),
    /** For adjustments: why, and the credential (client id) or portal user that made it. */
    reason: text("reason"),
    actor: text("actor"),
    /** For bonuses: what paid it (`tier`: accrual by the tier held, `tier_upgrade`, `promotion`) and which one. */
    bonusSource: text("bonus_source", { enum: ["tier", "tier_upgrade", "promotion"] }),
    bonusSourceId: text("bonus_source_id"),
    /** For bonuses: the earn that caused it, where there is one. */
    parentTransactionId: text("parent_transaction_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** The settlement period that settled this movement; null until a period is closed over it. */
    settlementPeriodId: text("settlement_period_id"),
  },
  (t) => [
    index("ledger_transactions_member").on(t.memberId, t.id),
    index("ledger_transactions_program_created").on(t.programId, t.createdAt),
    index("ledger_transactions_partner_created").on(t.partnerId, t.createdAt),
    index("ledger_transactions_original")
      .on(t.originalTransactionId)
      .where(sql`${t.originalTransactionId} is not null`),
    index("ledger_transactions_member_expiry").on(t.memberId, t.type, t.expiresAt),
    // The lots of a program that fell due, or came within 30 days of expiring, since the expiry jobs' last run.
    index("ledger_transactions_program_expiry").on(t.programId, t.expiresAt).where(sql`${t.expiresAt} is not null`),
    index("ledger_transactions_unsettled").on(t.createdAt).where(sql`settlement_period_id is null`),
    // The movements a period settled, summed again by a close across databases (listPeriodMovements).
    index("ledger_transactions_settled_by").on(t.settlementPeriodId).where(sql`${t.settlementPeriodId} is not null`),
    // Two expiry runs that compute the same boundary for a member cannot both write.
    uniqueIndex("ledger_transactions_one_expiry_per_boundary")
      .on(t.memberId, t.expiresAt)
      .where(sql`${t.type} = 'expiry'`),
    index("ledger_transactions_parent").on(t.parentTransactionId).where(sql`${t.parentTransactionId} is not null`),
    // A tier's upgrade bonus is paid once per member and tier, ever: a second payment cannot be written.
    uniqueIndex("ledger_transactions_one_upgrade_bonus")
      .on(t.memberId, t.bonusSourceId)
      .where(sql`${t.bonusSource} = 'tier_upgrade'`),
    // A promotion's awards by day (performance, the portal's chart).
    index("ledger_transactions_bonus_source").on(t.bonusSourceId, t.createdAt).where(sql`${t.bonusSource} is not null`),
    // Tier qualification sums a member's earns in a trailing window from this index alone.
    index("ledger_transactions_member_qualifying")
      .on(t.memberId, t.createdAt, t.points, t.reversedPoints, t.purchaseAmountMinor)
      .where(sql`${t.type} = 'earn'`),
    check("ledger_transactions_points_positive", sql`${t.points} > 0`),
    check(
      "ledger_transactions_reversal_within_points",
      sql`${t.reversedPoints} >= 0 and ${t.reversedPoints} <= ${t.points}`,
    ),
  ],
);

/** The double-entry legs: per program the amounts sum to zero, and each account's balance is their fold. */
export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    transactionId: text("transaction_id").notNull(),
    programId: text("program_id").notNull(),
    accountId: text("account_id").notNull(),
    amount: integer("amount").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("ledger_entries_transaction").on(t.transactionId),
    index("ledger_entries_account").on(t.accountId),
    check("ledger_entries_nonzero", sql`${t.amount} <> 0`),
  ],
);
