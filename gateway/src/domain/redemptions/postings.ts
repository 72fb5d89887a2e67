import type { NewAccount } from "../../db/queries/accounts";
import type { RedemptionRow } from "../../db/queries/redemptions";
import { memberAccount, memberHoldAccount, redeemedAccount } from "../ledger/accounts";
import type { Posting, TransactionRow } from "../ledger/movement";

/**
 * How a redemption moves points, each a journal transaction of the fulfilling partner (so a statement prices it as
 * that partner's redemption) with the order's id as reference and the reward's name as description:
 * - `burn`: the member pays the fulfilling partner (an order placed, not held);
 * - `hold`: the member's points reserved while the order waits for its review;
 * - `approve`: the held points go to the fulfilling partner (a `burn` of the hold);
 * - `release`: the held points go back to the member (a rejected order);
 * - `refund`: the burn taken back (a `reversal`: a cancelled or returned order).
 */
export type RedemptionMove = "burn" | "hold" | "approve" | "release" | "refund";

const types = {
  burn: "burn",
  hold: "hold",
  approve: "burn",
  release: "release",
  refund: "reversal",
} as const satisfies Record<RedemptionMove, TransactionRow["type"]>;

type Order = Pick<RedemptionRow, "id" | "programId" | "memberId" | "fulfillingPartnerId" | "points">;

/** The posting of `move` for an order; `original` is the hold (approve, release) or the burn (refund) it follows. */
export function redemptionPosting(
  move: RedemptionMove,
  order: Order,
  context: { transactionId: string; description: string | null; original: string | null; at: Date },
): Posting {
  const { programId, memberId, points } = order;
  const member = memberAccount(programId, memberId);
  const hold = memberHoldAccount(programId, memberId);
  const redeemed = redeemedAccount(programId, order.fulfillingPartnerId);
  const ends: Record<RedemptionMove, [NewAccount, NewAccount]> = {
    burn: [member, redeemed],
    hold: [member, hold],
    approve: [hold, redeemed],
    release: [hold, member],
    refund: [redeemed, member],
  };
  const [from, to] = ends[move];
  return {
    transaction: {
      id: context.transactionId,
      type: types[move],
      programId,
      memberId,
      partnerId: order.fulfillingPartnerId,
      points,
      reference: order.id,
      description: context.description,
      originalTransactionId: context.original,
      expiresAt: null,
      purchaseAmountMinor: null,
      purchaseCurrency: null,
      createdAt: context.at,
    },
    legs: [
      { account: from, amount: -points },
      { account: to, amount: points },
    ],
    balanceAccountId: member.id,
  };
}
