import type { Program } from "../programs";
import { accountIds, issuanceAccount, memberAccount } from "./accounts";
import type { Posting, TransactionRow } from "./movement";

export type BonusSource = NonNullable<TransactionRow["bonusSource"]>;

/** A bonus as the earn (or reversal) response lists it: the member's own (a referrer's bonus is the referrer's). */
export type BonusLine = { transaction_id: string; source: BonusSource; source_id: string; points: number };

/** What caused a bonus: the earn (or another event's) member, reference, place and time; `id` its transaction. */
export type BonusCause = Pick<TransactionRow, "memberId" | "reference" | "expiresAt" | "createdAt"> &
  Partial<Pick<TransactionRow, "channel" | "storeId">> & { id: string | null };

/**
 * A bonus on an earn: its own transaction from the program's issuance account, issued by the program's owner (so
 * statements price it as the owner's issuance), expiring with the earn and written in the earn's atomic write. It
 * goes to the earning member unless `memberId` names another (a referral's referrer). A bonus with no transaction
 * as its cause (an enrolment's, an activity's) has a cause with a null `id`: no parent transaction.
 */
export function bonusPosting(
  parent: BonusCause,
  program: Pick<Program, "id" | "partnerId">,
  bonus: { id: string; source: BonusSource; sourceId: string; points: number; memberId?: string },
): Posting {
  const memberId = bonus.memberId ?? parent.memberId;
  const transaction: TransactionRow = {
    id: bonus.id,
    type: "bonus",
    programId: program.id,
    memberId,
    partnerId: program.partnerId,
    points: bonus.points,
    reference: parent.reference,
    description: null,
    channel: parent.channel ?? null,
    storeId: parent.storeId ?? null,
    originalTransactionId: null,
    expiresAt: parent.expiresAt,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    bonusSource: bonus.source,
    bonusSourceId: bonus.sourceId,
    parentTransactionId: parent.id,
    createdAt: parent.createdAt,
  };
  return {
    transaction,
    legs: [
      { account: issuanceAccount(program.id), amount: -bonus.points },
      { account: memberAccount(program.id, memberId), amount: bonus.points },
    ],
    balanceAccountId: accountIds.member(memberId),
  };
}

/** A bonus as reversing its earn reads it. */
export type ReversibleBonus = {
  id: string;
  points: number;
  reversedPoints: number;
  bonusSource: BonusSource;
  bonusSourceId: string;
};

/**
 * How much of a bonus a reversal of its earn takes back: in proportion to the earn's points reversed so far,
 * rounded down, so partial reversals that add up to the whole earn take the whole bonus back.
 */
export function bonusReversalPoints(
  bonus: Pick<ReversibleBonus, "points" | "reversedPoints">,
  earn: { points: number; reversedBefore: number; reversing: number },
): number {
  const reversedAfter = earn.reversedBefore + earn.reversing;
  const due = Number((BigInt(bonus.points) * BigInt(reversedAfter)) / BigInt(earn.points));
  return Math.max(0, due - bonus.reversedPoints);
}

/** The reversal of (part of) a bonus with its earn's reversal: back from the member to the issuance account. */
export function bonusReversalPosting(
  reversal: TransactionRow,
  program: Pick<Program, "id" | "partnerId">,
  bonus: ReversibleBonus,
  id: string,
  points: number,
): Posting {
  return {
    transaction: {
      ...reversal,
      id,
      partnerId: program.partnerId,
      points,
      originalTransactionId: bonus.id,
    },
    legs: [
      { account: memberAccount(program.id, reversal.memberId), amount: -points },
      { account: issuanceAccount(program.id), amount: points },
    ],
    balanceAccountId: accountIds.member(reversal.memberId),
  };
}
