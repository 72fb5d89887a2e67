import { addToReversedPoints } from "../../db/queries/ledger";
import { addToLifetimeEarned } from "../../db/queries/members";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { Member } from "../members";
import type { Program } from "../programs";
import { accountIds, issuanceAccount, memberAccount } from "./accounts";
import { type CommittedResponse, commitMovement, type IdempotencyRecord, type TransactionRow } from "./movement";
import { transactionBody } from "./present";

export type ReversibleTransaction = TransactionRow & { reversedPoints: number };

/**
 * Reverses all or part of an earn or a burn with a new, opposite movement (the journal is append-only).
 * The original's `reversed_points` grows in the same write and its CHECK keeps the total within the
 * original, so concurrent partial reversals can never exceed it. Reversing an earn whose points are
 * spent fails on the member account's CHECK: 409 `insufficient_points`.
 */
export async function reverse(
  deps: Pick<Deps, "writer" | "clock" | "ids">,
  input: {
    original: ReversibleTransaction;
    program: Program;
    member: Member;
    partnerId: string;
    points?: number;
    reason?: string | null;
  },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { original, program, member } = input;
  if (original.type === "adjustment")
    throw new ApiError(
      "conflict",
      `An adjustment cannot be reversed: make a correcting adjustment (POST /v1/transactions/adjustments) instead.`,
    );
  if (original.type !== "earn" && original.type !== "burn")
    throw new ApiError("conflict", `A ${original.type} transaction cannot be reversed.`);
  const remaining = original.points - original.reversedPoints;
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
  return commitMovement(deps.writer, {
    transaction,
    legs: [
      { account, amount: sign * points },
      { account: counterpart, amount: -sign * points },
    ],
    balanceAccountId: account.id,
    guards: [
      addToReversedPoints(original.id, points),
      ...(original.type === "earn" ? [addToLifetimeEarned(member.id, -points)] : []),
    ],
    events: [...new Set([input.partnerId, program.partnerId])].map((partnerId) => ({
      id: deps.ids("evt"),
      partnerId,
      type: "points.reversed" as const,
      at: now,
    })),
    body: transactionBody(transaction, member),
    status: 201,
    idempotency,
  });
}
