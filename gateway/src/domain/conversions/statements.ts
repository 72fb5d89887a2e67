import type { Statement } from "../../db/writer";
import type { Conversion } from "./present";
import { usageDay } from "./quote";

/** Inserting the conversion claims its quote: `quote_id` is unique, so a quote converts once. */
export const insertConversion = (c: Conversion): Statement => ({
  sql: `insert into conversions (id, quote_id, partner_id, rate_id, from_program_id, from_member_id, to_program_id,
          to_member_id, from_points, fee_points, to_points, settlement_price_micros, settlement_currency, status,
          review_id, hold_transaction_id, created_at, decided_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    c.id,
    c.quoteId,
    c.partnerId,
    c.rateId,
    c.fromProgramId,
    c.fromMemberId,
    c.toProgramId,
    c.toMemberId,
    c.fromPoints,
    c.feePoints,
    c.toPoints,
    c.settlementPriceMicros,
    c.settlementCurrency,
    c.status,
    c.reviewId,
    c.holdTransactionId,
    c.createdAt.getTime(),
    c.decidedAt?.getTime() ?? null,
  ],
});

/** Adds (or, for a rejected conversion, removes) points from the member's daily total; its CHECK holds the limit. */
export const countTowardsDailyMaximum = (c: Conversion, limit: number, at: Date, sign: 1 | -1 = 1): Statement => ({
  sql: `insert into conversion_daily_usage (member_id, to_program_id, day, points, limit_points) values (?, ?, ?, ?, ?)
        on conflict (member_id, to_program_id, day) do update set points = points + excluded.points`,
  args: [c.fromMemberId, c.toProgramId, usageDay(at), sign * c.fromPoints, limit],
});
