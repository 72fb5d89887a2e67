import { balanceOf } from "../../db/queries/accounts";
import { findHeldBurn } from "../../db/queries/ledger";
import { decideReviewStatements } from "../../db/queries/reviews";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { decidedReviewBody } from "../review-decision";
import type { Decision } from "../reviews";
import { accountIds } from "./accounts";
import { type CommittedResponse, commitUnit, type IdempotencyRecord, type TransactionRow } from "./movement";
import { transactionBody } from "./present";

/**
 * Decides a held burn in one atomic write: approving moves the held points to the redeeming partner (a
 * `burn` transaction pointing at the hold), rejecting gives them back (a `release`). Audited like every
 * review decision; a second decision fails on the decision row's key.
 */
export async function decideBurnReview(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids">,
  input: { reviewId: string; decision: Decision; decidedBy: string; reason: string | null },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const now = deps.clock.now();
  const held = await findHeldBurn(deps.reader, input.reviewId);
  if (!held) throw new ApiError("not_found", `No review ${input.reviewId}.`);
  const { review } = held;
  if (review.status !== "pending") throw new ApiError("conflict", `Review ${review.id} is already ${review.status}.`);
  const approved = input.decision === "approved";
  const transaction: TransactionRow = {
    id: deps.ids("txn"),
    type: approved ? "burn" : "release",
    programId: review.programId,
    memberId: review.memberId,
    partnerId: review.partnerId,
    points: review.points,
    reference: review.reference,
    description: review.description,
    originalTransactionId: review.holdTransactionId,
    expiresAt: null,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    createdAt: now,
  };
  const hold = {
    id: accountIds.memberHold(review.memberId),
    programId: review.programId,
    kind: "member_hold" as const,
    memberId: review.memberId,
  };
  const to = approved
    ? {
        id: accountIds.redeemed(review.programId, review.partnerId),
        programId: review.programId,
        kind: "redeemed" as const,
        partnerId: review.partnerId,
      }
    : {
        id: accountIds.member(review.memberId),
        programId: review.programId,
        kind: "member" as const,
        memberId: review.memberId,
      };
  const transactionData = { ...transactionBody(transaction, { externalId: held.externalId }), balance_after: 0 };
  return commitUnit(
    deps.writer,
    {
      guards: decideReviewStatements({
        reviewId: review.id,
        decision: input.decision,
        decidedBy: input.decidedBy,
        reason: input.reason,
        at: now,
      }),
      postings: [
        {
          transaction,
          legs: [
            { account: hold, amount: -review.points },
            { account: to, amount: review.points },
          ],
          balanceAccountId: accountIds.member(review.memberId),
        },
      ],
      events: [...new Set([review.partnerId, held.ownerPartnerId])].map((partnerId) => ({
        id: deps.ids("evt"),
        partnerId,
        type: approved ? ("points.burned" as const) : ("points.released" as const),
        at: now,
      })),
      body: decidedReviewBody(review, input, now, {
        kind: "burn",
        partnerId: review.partnerId,
        programId: review.programId,
        memberId: review.memberId,
        points: review.points,
        transaction: transactionData,
      }),
      bodyPatches: [{ path: "$.transaction.balance_after", ...balanceOf(accountIds.member(review.memberId)) }],
      status: 200,
      idempotency,
    },
    (violation: ConstraintViolation) =>
      violation.constraint.startsWith("review_decisions.")
        ? new ApiError("conflict", `Review ${review.id} has already been decided.`)
        : undefined,
  );
}
