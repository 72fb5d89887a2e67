import type { TransferRow } from "../../db/queries/transfers";
import { conversionAmounts } from "../conversions/amounts";

export type Transfer = TransferRow;

/**
 * What a transfer of `points` costs and gives, as with conversion fees (a one-to-one rate): the fee is `fee_bps`
 * basis points of the points, rounded up in integer arithmetic, and the receiver gets the rest.
 */
export function transferAmounts(points: number, feeBps: number): { feePoints: number; receivedPoints: number } {
  const { feePoints, toPoints } = conversionAmounts(points, { fromPoints: 1, toPoints: 1, feeBps });
  return { feePoints, receivedPoints: toPoints };
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar month `at` is in, in `timeZone`, as "YYYY-MM" (en-CA writes year and month so): what the maximum counts. */
export function monthIn(timeZone: string, at: Date): string {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" });
    monthFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** Who a transfer's answer names: both members by their external ids. */
export type TransferSides = { fromExternalId: string; toExternalId: string };

/**
 * A transfer as the API answers it. The balances are those its journal left: the sender's after its debit (the
 * hold, while held or once rejected) and the receiver's after the credit (null until it is credited); a unit that
 * writes them patches in the exact values (`transferPatches`).
 */
export const transferBody = (
  t: Transfer,
  sides: TransferSides,
  balances: { from: number; to: number | null } = { from: 0, to: null },
) => ({
  id: t.id,
  program_id: t.programId,
  from_external_id: sides.fromExternalId,
  to_external_id: sides.toExternalId,
  points: t.points,
  fee_points: t.feePoints,
  received_points: t.receivedPoints,
  from_balance_after: balances.from,
  to_balance_after: balances.to,
  reference: t.reference,
  status: t.status,
  review_id: t.reviewId,
  created_at: t.createdAt.toISOString(),
});
