import { balanceOf } from "../../db/queries/accounts";
import {
  findHeldRedemption,
  findRedemptionCodes,
  type RedemptionRow,
  stepStatements,
  takeStockStatement,
  voidCodesStatement,
} from "../../db/queries/redemptions";
import { refusalOf } from "../../db/queries/refusals";
import { decideReviewStatements } from "../../db/queries/reviews";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { accountIds } from "../ledger/accounts";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import { transactionBody } from "../ledger/present";
import type { EventType } from "../outbox";
import { decidedReviewBody } from "../review-decision";
import type { Decision } from "../reviews";
import { redemptionPosting } from "./postings";
import { redemptionBody, redemptionRecipients } from "./redemption";

/**
 * Decides a held redemption in one atomic write. Approving burns the held points to the fulfilling partner (a
 * `burn` of the hold, the order's transaction from then on) and the order goes on as if placed now: `pending`, or
 * `fulfilled` with its reserved codes for a `code` reward (`redemption.created`, and `redemption.fulfilled` for
 * codes). Rejecting gives the points back (a `release`), the units back to the stock and voids the codes; the order
 * is `rejected` (`redemption.cancelled`, with that status). A second decision fails on the decision row's key.
 */
export async function decideRedemptionReview(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids">,
  input: { reviewId: string; decision: Decision; decidedBy: string; reason: string | null },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const held = await findHeldRedemption(deps.reader, input.reviewId);
  if (!held) throw new ApiError("not_found", `No review ${input.reviewId}.`);
  const { review, redemption, reward } = held;
  if (review.status !== "pending") throw new ApiError("conflict", `Review ${review.id} is already ${review.status}.`);
  const now = deps.clock.now();
  const approved = input.decision === "approved";
  const codes = reward.fulfilment === "code";
  const posting = redemptionPosting(approved ? "approve" : "release", redemption, {
    transactionId: deps.ids("txn"),
    description: reward.name,
    original: redemption.transactionId,
    at: now,
  });
  const change = approved
    ? { transactionId: posting.transaction.id, ...(codes && { fulfilledAt: now }) }
    : { cancelReason: input.reason };
  const decided: RedemptionRow = {
    ...redemption,
    ...change,
    status: approved ? (codes ? "fulfilled" : "pending") : "rejected",
    updatedAt: now,
  };
  const reserved = (await findRedemptionCodes(deps.reader, [redemption.id])).get(redemption.id) ?? [];
  const redemptionData = redemptionBody({ ...held, redemption: decided, codes: reserved });
  const types: EventType[] = !approved
    ? ["redemption.cancelled"]
    : codes
      ? ["redemption.created", "redemption.fulfilled"]
      : ["redemption.created"];
  const memberId = accountIds.member(redemption.memberId);
  return commitUnit(
    deps.writer,
    {
      guards: [
        ...decideReviewStatements({ ...input, at: now }),
        ...stepStatements(redemption.id, ["held"], decided.status, change, now),
        ...(approved
          ? []
          : [takeStockStatement(redemption.rewardId, -redemption.quantity), voidCodesStatement(redemption.id)]),
      ],
      postings: [posting],
      events: types.flatMap((type) =>
        redemptionRecipients(held).map((partnerId) => ({
          id: deps.ids("evt"),
          partnerId,
          type,
          at: now,
          data: redemptionData,
        })),
      ),
      body: decidedReviewBody(review, input, now, {
        kind: "redemption",
        partnerId: review.partnerId,
        programId: review.programId,
        memberId: review.memberId,
        points: review.points,
        redemptionId: redemption.id,
        transaction: { ...transactionBody(posting.transaction, { externalId: held.externalId }), balance_after: 0 },
        redemption: redemptionData,
      }),
      bodyPatches: [{ path: "$.transaction.balance_after", ...balanceOf(memberId) }],
      status: 200,
      idempotency,
    },
    (violation) => {
      if (violation.constraint.startsWith("review_decisions."))
        return new ApiError("conflict", `Review ${review.id} has already been decided.`);
      if (refusalOf(violation) === "invalid_state")
        return new ApiError("conflict", `Redemption ${redemption.id} is no longer held.`);
      return undefined;
    },
  );
}
