import { balanceOf } from "../../db/queries/accounts";
import type { JsonPatch } from "../../db/queries/json-patch";
import { accountIds, memberAccount, pointsExpireAt } from "../ledger/accounts";
import type { Posting, TransactionRow } from "../ledger/movement";
import type { Transfer } from "./transfer";

/** What the postings of a transfer need besides the transfer: when, and the program's expiry. */
export type TransferContext = { transfer: Transfer; at: Date; program: { pointsExpireAfterDays: number | null } };

/** A program's transfer fees account: every transfer passes through it, and its fee stays there. */
export const transferFeesAccount = (programId: string) => ({
  id: `${programId}:transfer_fees`,
  programId,
  kind: "transfer_fees" as const,
});

const memberHold = (programId: string, memberId: string) => ({
  id: accountIds.memberHold(memberId),
  programId,
  kind: "member_hold" as const,
  memberId,
});

const transaction = (
  fields: Pick<TransactionRow, "id" | "type" | "memberId" | "points"> & Partial<TransactionRow>,
  { transfer, at }: TransferContext,
): TransactionRow => ({
  programId: transfer.programId,
  partnerId: transfer.partnerId,
  reference: transfer.reference,
  description: null,
  originalTransactionId: null,
  expiresAt: null,
  purchaseAmountMinor: null,
  purchaseCurrency: null,
  createdAt: at,
  ...fields,
});

/**
 * Both legs of a transfer, each a transaction that balances on its own: the sender's `transfer_out` pays all the
 * points into the program's transfer fees account (from its hold, after a review: then it points at the hold, so
 * expiry does not count the points twice), and the receiver's `transfer_in` takes what it receives out of it, so
 * the fee stays there. The received points are a lot of their own that expires like an earn made now.
 */
export function transferPostings(
  context: TransferContext,
  ids: { out: string; in: string },
  fromHold?: { holdTransactionId: string },
): Posting[] {
  const { transfer: t } = context;
  const fees = transferFeesAccount(t.programId);
  return [
    {
      transaction: transaction(
        {
          id: ids.out,
          type: "transfer_out",
          memberId: t.fromMemberId,
          points: t.points,
          originalTransactionId: fromHold?.holdTransactionId ?? null,
        },
        context,
      ),
      legs: [
        {
          account: fromHold ? memberHold(t.programId, t.fromMemberId) : memberAccount(t.programId, t.fromMemberId),
          amount: -t.points,
        },
        { account: fees, amount: t.points },
      ],
      balanceAccountId: accountIds.member(t.fromMemberId),
    },
    {
      transaction: transaction(
        {
          id: ids.in,
          type: "transfer_in",
          memberId: t.toMemberId,
          points: t.receivedPoints,
          expiresAt: pointsExpireAt(context.program, context.at),
        },
        context,
      ),
      legs: [
        { account: fees, amount: -t.receivedPoints },
        { account: memberAccount(t.programId, t.toMemberId), amount: t.receivedPoints },
      ],
      balanceAccountId: accountIds.member(t.toMemberId),
    },
  ];
}

/** Reserving the points of a held transfer: the sender's available points to its hold. */
export function holdPosting(context: TransferContext, id: string): Posting {
  const { transfer: t } = context;
  return {
    transaction: transaction({ id, type: "hold", memberId: t.fromMemberId, points: t.points }, context),
    legs: [
      { account: memberAccount(t.programId, t.fromMemberId), amount: -t.points },
      { account: memberHold(t.programId, t.fromMemberId), amount: t.points },
    ],
    balanceAccountId: accountIds.member(t.fromMemberId),
  };
}

/** Giving the points of a rejected transfer back to the sender. */
export function releasePosting(context: TransferContext, id: string, holdTransactionId: string): Posting {
  const { transfer: t } = context;
  return {
    transaction: transaction(
      { id, type: "release", memberId: t.fromMemberId, points: t.points, originalTransactionId: holdTransactionId },
      context,
    ),
    legs: [
      { account: memberHold(t.programId, t.fromMemberId), amount: -t.points },
      { account: memberAccount(t.programId, t.fromMemberId), amount: t.points },
    ],
    balanceAccountId: accountIds.member(t.fromMemberId),
  };
}

/**
 * The balances a transfer's answer shows, as its write leaves them, patched under `at` ("$" for the answer itself,
 * "$.transfer" inside a review's): the sender's always, the receiver's once it has been credited.
 */
export function transferPatches(t: Transfer, at: string, credited: boolean): JsonPatch[] {
  return [
    { path: `${at}.from_balance_after`, ...balanceOf(accountIds.member(t.fromMemberId)) },
    ...(credited ? [{ path: `${at}.to_balance_after`, ...balanceOf(accountIds.member(t.toMemberId)) }] : []),
  ];
}
