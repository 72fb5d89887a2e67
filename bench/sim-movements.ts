/**
 * The simulation's plain movements (bench/sim.ts), apart from its files and shards so a workerd test can use them too
 * (nothing here needs Node).
 */
import { issuanceAccount, memberAccount, redeemedAccount } from "../gateway/src/domain/ledger/accounts";
import type { Movement } from "../gateway/src/domain/ledger/movement";

export const partnerId = "ptn_sim";

/** An earn (from the program's issuance) or a burn (to the partner's redeemed account) as its movement, nothing more. */
export function plainMovement(move: {
  type: "earn" | "burn";
  id: string;
  programId: string;
  memberId: string;
  points: number;
  at: Date;
}): Movement {
  const { type, programId, memberId, points } = move;
  const other = type === "earn" ? issuanceAccount(programId) : redeemedAccount(programId, partnerId);
  const sign = type === "earn" ? 1 : -1;
  return {
    transaction: {
      id: move.id,
      type,
      programId,
      memberId,
      partnerId,
      points,
      reference: null,
      description: null,
      originalTransactionId: null,
      expiresAt: null,
      purchaseAmountMinor: null,
      purchaseCurrency: null,
      createdAt: move.at,
    },
    legs: [
      { account: other, amount: -sign * points },
      { account: memberAccount(programId, memberId), amount: sign * points },
    ],
    balanceAccountId: memberId,
    events: [],
    body: {},
    status: 201,
  };
}
