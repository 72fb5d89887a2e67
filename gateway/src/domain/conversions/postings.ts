import { accountIds } from "../ledger/accounts";
import type { Posting, TransactionRow } from "../ledger/movement";
import type { Conversion } from "./present";

/** What a conversion's postings need of it; a cross-database conversion's saga (domain/shards) has just these. */
export type ConversionSides = Pick<
  Conversion,
  "id" | "fromProgramId" | "fromMemberId" | "toProgramId" | "toMemberId" | "fromPoints" | "toPoints"
>;

export type PostingContext = {
  conversion: ConversionSides;
  partnerId: string;
  at: Date;
  destinationExpiresAfterDays: number | null;
};

const transaction = (
  fields: Pick<TransactionRow, "id" | "type" | "programId" | "memberId" | "points"> & Partial<TransactionRow>,
  context: PostingContext,
): TransactionRow => ({
  partnerId: context.partnerId,
  reference: context.conversion.id,
  description: null,
  originalTransactionId: null,
  expiresAt: null,
  purchaseAmountMinor: null,
  purchaseCurrency: null,
  createdAt: context.at,
  ...fields,
});

const member = (programId: string, memberId: string) => ({
  id: accountIds.member(memberId),
  programId,
  kind: "member" as const,
  memberId,
});
const memberHold = (programId: string, memberId: string) => ({
  id: accountIds.memberHold(memberId),
  programId,
  kind: "member_hold" as const,
  memberId,
});

/**
 * The two legs of a conversion, one per program, so each program's journal still sums to zero: the source
 * member (or its hold, after a review) pays the source program's conversions-out account, and the
 * destination program's conversions-in account credits the destination member.
 */
export function conversionPostings(
  context: PostingContext,
  ids: { out: string; in: string },
  fromHold?: { holdTransactionId: string },
): Posting[] {
  return [conversionOutPosting(context, ids.out, fromHold), conversionInPosting(context, ids.in)];
}

/** The source program's leg: the member (or its hold) pays the program's conversions-out account. */
export function conversionOutPosting(
  context: PostingContext,
  id: string,
  fromHold?: { holdTransactionId: string },
): Posting {
  const { conversion: c } = context;
  const payer = fromHold ? memberHold(c.fromProgramId, c.fromMemberId) : member(c.fromProgramId, c.fromMemberId);
  return {
    transaction: transaction(
      {
        id,
        type: "conversion_out",
        programId: c.fromProgramId,
        memberId: c.fromMemberId,
        points: c.fromPoints,
        originalTransactionId: fromHold?.holdTransactionId ?? null,
      },
      context,
    ),
    legs: [
      { account: payer, amount: -c.fromPoints },
      {
        account: { id: accountIds.conversionsOut(c.fromProgramId), programId: c.fromProgramId, kind: "conversion" },
        amount: c.fromPoints,
      },
    ],
    balanceAccountId: accountIds.member(c.fromMemberId),
  };
}

/** The destination program's leg: its conversions-in account credits the destination member. */
export function conversionInPosting(context: PostingContext, id: string): Posting {
  const { conversion: c } = context;
  const days = context.destinationExpiresAfterDays;
  return {
    transaction: transaction(
      {
        id,
        type: "conversion_in",
        programId: c.toProgramId,
        memberId: c.toMemberId,
        points: c.toPoints,
        expiresAt: days ? new Date(context.at.getTime() + days * 86_400_000) : null,
      },
      context,
    ),
    legs: [
      {
        account: { id: accountIds.conversionsIn(c.toProgramId), programId: c.toProgramId, kind: "conversion" },
        amount: -c.toPoints,
      },
      { account: member(c.toProgramId, c.toMemberId), amount: c.toPoints },
    ],
    balanceAccountId: accountIds.member(c.toMemberId),
  };
}

/** Reserving the points of a held conversion: available to pending, in the source program. */
export function holdPosting(context: PostingContext, id: string): Posting {
  const { conversion: c } = context;
  return {
    transaction: transaction(
      { id, type: "hold", programId: c.fromProgramId, memberId: c.fromMemberId, points: c.fromPoints },
      context,
    ),
    legs: [
      { account: member(c.fromProgramId, c.fromMemberId), amount: -c.fromPoints },
      { account: memberHold(c.fromProgramId, c.fromMemberId), amount: c.fromPoints },
    ],
    balanceAccountId: accountIds.member(c.fromMemberId),
  };
}

/** Releasing the points of a rejected conversion back to available. */
export function releasePosting(context: PostingContext, id: string, holdTransactionId: string): Posting {
  const { conversion: c } = context;
  return {
    transaction: transaction(
      {
        id,
        type: "release",
        programId: c.fromProgramId,
        memberId: c.fromMemberId,
        points: c.fromPoints,
        originalTransactionId: holdTransactionId,
      },
      context,
    ),
    legs: [
      { account: memberHold(c.fromProgramId, c.fromMemberId), amount: -c.fromPoints },
      { account: member(c.fromProgramId, c.fromMemberId), amount: c.fromPoints },
    ],
    balanceAccountId: accountIds.member(c.fromMemberId),
  };
}
