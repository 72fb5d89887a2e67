import { decideConversionStatement, findHeldConversion } from "../../db/queries/conversions";
import { decideReviewStatements } from "../../db/queries/reviews";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import { decidedReviewBody } from "../review-decision";
import type { Decision } from "../reviews";
import { countTowardsDailyMaximum } from "./daily-maximum";
import { conversionPostings, releasePosting } from "./postings";
import { type Conversion, conversionBody } from "./present";

/**
 * Decides a held conversion in one atomic write: approving completes it (the held points leave the
 * source member's hold, the destination member is credited), rejecting releases the points back. The
 * review records who decided, when and why; a decision row keyed by the review makes a second decision,
 * even a concurrent one, fail with 409.
 */
export async function decideConversionReview(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids">,
  input: { reviewId: string; decision: Decision; decidedBy: string; reason: string | null },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const now = deps.clock.now();
  const held = await findHeldConversion(deps.reader, input.reviewId);
  if (!held) throw new ApiError("not_found", `No review ${input.reviewId}.`);
  const { review, rate, sides, owners } = held;
  if (review.status !== "pending") throw new ApiError("conflict", `Review ${review.id} is already ${review.status}.`);
  const holdTransactionId = held.conversion.holdTransactionId;
  if (!holdTransactionId) throw new Error(`held conversion ${held.conversion.id} without its hold`);

  const conversion: Conversion = {
    ...held.conversion,
    status: input.decision === "approved" ? "completed" : "rejected",
    decidedAt: now,
  };
  const conversionData = conversionBody(conversion, rate, sides);
  const context = {
    conversion,
    partnerId: conversion.partnerId,
    at: now,
    destinationExpiresAfterDays: held.destinationExpiresAfterDays,
  };
  const recipients = [...new Set([conversion.partnerId, owners.from, owners.to])];
  const body = decidedReviewBody(review, input, now, {
    kind: "conversion",
    partnerId: conversion.partnerId,
    programId: conversion.fromProgramId,
    memberId: conversion.fromMemberId,
    points: conversion.fromPoints,
    conversionId: conversion.id,
    conversion: conversionData,
  });

  return commitUnit(
    deps.writer,
    {
      guards: [
        ...decideReviewStatements({
          reviewId: review.id,
          decision: input.decision,
          decidedBy: input.decidedBy,
          reason: input.reason,
          at: now,
        }),
        decideConversionStatement(conversion.id, conversion.status, now),
        // A rejected conversion no longer counts towards the member's daily maximum (of the day it was made).
        ...(input.decision === "rejected" && rate.maxPointsPerDay !== null
          ? [countTowardsDailyMaximum(conversion, rate.maxPointsPerDay, conversion.createdAt, -1)]
          : []),
      ],
      postings:
        input.decision === "approved"
          ? conversionPostings(context, { out: deps.ids("txn"), in: deps.ids("txn") }, { holdTransactionId })
          : [releasePosting(context, deps.ids("txn"), holdTransactionId)],
      events: recipients.map((partnerId) => ({
        id: deps.ids("evt"),
        partnerId,
        type: input.decision === "approved" ? ("conversion.completed" as const) : ("conversion.rejected" as const),
        at: now,
        data: conversionData,
      })),
      body,
      status: 200,
      idempotency,
    },
    (violation: ConstraintViolation) =>
      violation.constraint.startsWith("review_decisions.")
        ? new ApiError("conflict", `Review ${review.id} has already been decided.`)
        : undefined,
  );
}
