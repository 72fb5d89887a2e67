import { findReviewKind } from "../db/queries/reviews";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { decideConversionReview } from "./conversions/review";
import { decideBurnReview } from "./ledger/burn-review";
import type { IdempotencyRecord } from "./ledger/movement";
import { decideRedemptionReview } from "./redemptions/review";
import { decideTransferReview } from "./transfers/review";

export type Decision = "approved" | "rejected";

/** Approves or rejects a held operation, whichever kind it is. */
export async function decideReview(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids" | "log" | "shards">,
  input: { reviewId: string; decision: Decision; decidedBy: string; reason: string | null },
  idempotency?: IdempotencyRecord,
) {
  const kind = await findReviewKind(deps.reader, input.reviewId);
  if (!kind) throw new ApiError("not_found", `No review ${input.reviewId}.`);
  if (kind === "redemption") return decideRedemptionReview(deps, input, idempotency);
  if (kind === "transfer") return decideTransferReview(deps, input, idempotency);
  return kind === "burn"
    ? decideBurnReview(deps, input, idempotency)
    : decideConversionReview(deps, input, idempotency);
}
