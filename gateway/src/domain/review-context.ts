import {
  findReviewContext,
  listPendingReviewContexts,
  listRecentMemberMovements,
  type ReviewContext,
} from "../db/queries/review-context";
import type { Deps } from "../deps";
import { lineAmountMinor } from "./settlement/money";

/** How many of the member's latest movements a review card shows. */
const historyLength = 5;

/** A held operation with what the operator needs to decide it: who, what, how much, why, and the member's history. */
export type ReviewCard = ReviewContext & {
  /**
   * What the operation is worth in money, exactly (minor units), when prices allow: a conversion's settlement
   * obligation (destination points × the destination's price), a burn's points × the burning partner's redeem
   * price. Null when no price applies.
   */
  value: { amountMinor: number; currency: string } | null;
  history: Awaited<ReturnType<typeof listRecentMemberMovements>>;
};

function moneyValue(review: ReviewContext): ReviewCard["value"] {
  if (review.conversion) {
    const { toPoints, settlementPriceMicros, currency } = review.conversion;
    return { amountMinor: lineAmountMinor(toPoints, settlementPriceMicros, currency), currency };
  }
  if (review.redeemPriceMicros === null) return null;
  const currency = review.program.currency;
  return { amountMinor: lineAmountMinor(review.points, review.redeemPriceMicros, currency), currency };
}

const toCard = async (reader: Deps["reader"], review: ReviewContext): Promise<ReviewCard> => ({
  ...review,
  value: moneyValue(review),
  history: await listRecentMemberMovements(reader, review.member.id, historyLength),
});

/** The review queue as cards, oldest first, at most `limit`. */
export async function pendingReviewCards(deps: Pick<Deps, "reader">, limit = 100): Promise<ReviewCard[]> {
  const reviews = await listPendingReviewContexts(deps.reader, limit);
  return Promise.all(reviews.map((review) => toCard(deps.reader, review)));
}

/** One review as a card, whatever its status (the confirmation after a decision reads it). */
export async function reviewCard(deps: Pick<Deps, "reader">, id: string): Promise<ReviewCard | undefined> {
  const review = await findReviewContext(deps.reader, id);
  return review && toCard(deps.reader, review);
}
