import { balanceOf } from "../../db/queries/accounts";
import {
  addToReversedPoints,
  assertReversedPoints,
  findReversedPoints,
  findReversibleBonuses,
} from "../../db/queries/ledger";
import { addToLifetimeEarned } from "../../db/queries/members";
import { findRedemptionIdPaidBy } from "../../db/queries/redemptions";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { Member } from "../members";
import type { Program } from "../programs";
import { accountIds, issuanceAccount, memberAccount } from "./accounts";
import { type BonusLine, bonusReversalPoints, bonusReversalPosting } from "./bonuses";
import {
  type CommittedResponse,
  commitUnit,
  type IdempotencyRecord,
  type Posting,
  retryingStaleWrites,
  type TransactionRow,
} from "./movement";
import { transactionBody } from "./present";

export type ReversibleTransaction = TransactionRow & { reversedPoints: number };

type ReversalInput = {
  original: ReversibleTransaction;
  program: Program;
  member: Member;
  partnerId: string;
  points?: number;
  reason?: string | null;
};

/**
 * Reverses all or part of an earn or a burn with a new, opposite movement (the journal is append-only).
 * The original's `reversed_points` grows in the same write and its CHECK keeps the total within the
 * original, so concurrent partial reversals can never exceed it. Reversing an earn whose points are
 * spent fails on the member account's CHECK: 409 `insufficient_points`. Reversing an earn also takes back its
 * accrual and promotion bonuses in proportion (rounded down, so reversals adding up to the whole earn take the
 * whole bonuses), in the same write; a tier's upgrade bonus stays, as the tier was reached. Only the member's own
 * bonuses are taken back: a referral's bonus to the referrer (a child of the referred member's first earn) stays
 * with the referrer, since a reversal moves only the reversed member's points (it must not fail, or take points,
 * because of another member's balance), as a promotion's budget and member totals stay spent.
 */
export async function reverse(
  deps: Pick<Deps, "writer" | "reader" | "clock" | "ids">,
  input: ReversalInput,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { original } = input;
  if (original.type === "adjustment")
    throw new ApiError(
      "conflict",
      `An adjustment cannot be reversed: make a correcting adjustment (POST /v1/transactions/adjustments) instead.`,
    );
  if (original.type !== "earn" && original.type !== "burn")
    throw new ApiError("conflict", `A ${original.type} transaction cannot be reversed.`);
  // A redemption's burn comes back only through its order (cancel, return), which also restores stock and codes.
  const redemptionId = original.type === "burn" ? await findRedemptionIdPaidBy(deps.reader, original.id) : undefined;
  if (redemptionId)
    throw new ApiError(
      "invalid_state",
      `Transaction ${original.id} paid for redemption ${redemptionId}: cancel it (POST /v1/redemptions/${redemptionId}/cancel) or return it instead.`,
    );
  let reversedBefore = original.reversedPoints;
  let planned = false;
  return retryingStaleWrites(async () => {
    // Planning again follows a concurrent reversal of the same original: plan on what it left.
    if (planned) reversedBefore = (await findReversedPoints(deps.reader, original.id)) ?? reversedBefore;
    planned = true;
    return reverseOnce(deps, input, reversedBefore, idempotency);
  });
}

async function reverseOnce(
  deps: Pick<Deps, "writer" | "reader" | "clock" | "ids">,
  input: ReversalInput,
  reversedBefore: number,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { original, program, member } = input;
  const remaining = original.points - reversedBefore;
  const points = input.points ?? remaining;
  if (remaining === 0) throw new ApiError("conflict", `Transaction ${original.id} is already fully reversed.`);
  if (points > remaining)
    throw new ApiError("conflict", `Only ${remaining} point(s) of ${original.id} are left to reverse.`, {
      errors: [{ path: "points", message: `must be at most ${remaining}` }],
    });
  const now = deps.clock.now();
  const transaction: TransactionRow = {
    id: deps.ids("txn"),
    type: "reversal",
    programId: program.id,
    memberId: member.id,
    partnerId: input.partnerId,
    points,
    reference: original.reference,
    description: input.reason ?? null,
    originalTransactionId: original.id,
    expiresAt: null,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    createdAt: now,
  };
  const account = memberAccount(program.id, member.id);
  const counterpart =
    original.type === "earn"
      ? issuanceAccount(program.id)
      : {
          id: accountIds.redeemed(program.id, original.partnerId),
          programId: program.id,
          kind: "redeemed" as const,
          partnerId: original.partnerId,
        };
  const sign = original.type === "earn" ? -1 : 1;
  const bonuses = original.type === "earn" ? await findReversibleBonuses(deps.reader, original) : [];
  const bonusReversals: Posting[] = [];
  const lines: BonusLine[] = [];
  for (const bonus of bonuses) {
    const taken = bonusReversalPoints(bonus, { points: original.points, reversedBefore, reversing: points });
    if (taken === 0) continue;
    const posting = bonusReversalPosting(transaction, program, bonus, deps.ids("txn"), taken);
    bonusReversals.push(posting);
    lines.push({
      transaction_id: posting.transaction.id,
      source: bonus.bonusSource,
      source_id: bonus.bonusSourceId,
      points: taken,
    });
  }
  const body = {
    ...transactionBody(transaction, member),
    balance_after: 0,
    bonus_points: lines.reduce((sum, line) => sum + line.points, 0),
    bonuses: lines,
  };
  return commitUnit(deps.writer, {
    postings: [
      {
        transaction,
        legs: [
          { account, amount: sign * points },
          { account: counterpart, amount: -sign * points },
        ],
        balanceAccountId: account.id,
      },
      ...bonusReversals,
    ],
    guards: [
      // The bonuses' shares were computed from the reversed points read: a concurrent reversal plans again.
      ...(bonuses.length > 0 ? [assertReversedPoints(original.id, reversedBefore)] : []),
      addToReversedPoints(original.id, points),
      ...bonusReversals.map((posting) =>
        addToReversedPoints(posting.transaction.originalTransactionId as string, posting.transaction.points),
      ),
      ...(original.type === "earn" ? [addToLifetimeEarned(member.id, -points)] : []),
    ],
    events: [...new Set([input.partnerId, program.partnerId])].map((partnerId) => ({
      id: deps.ids("evt"),
      partnerId,
      type: "points.reversed" as const,
      at: now,
    })),
    body,
    bodyPatches: [{ path: "$.balance_after", ...balanceOf(account.id) }],
    status: 201,
    idempotency,
  });
}
