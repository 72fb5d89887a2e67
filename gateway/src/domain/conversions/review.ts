import { holdOpenStatement } from "../../db/queries/conversion-sagas";
import { decideConversionStatement, findHeldConversion } from "../../db/queries/conversions";
import { refusalOf } from "../../db/queries/refusals";
import { decideReviewStatements } from "../../db/queries/reviews";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import { decidedReviewBody } from "../review-decision";
import type { Decision } from "../reviews";
import { startHeldConversion } from "../shards/reserve";
import { driveConversion, sagaOf } from "./across-databases";
import { countTowardsDailyMaximum } from "./daily-maximum";
import { otherDatabase } from "./databases";
import { conversionPostings, releasePosting } from "./postings";
import { type Conversion, conversionBody } from "./present";

/**
 * Decides a held conversion in one atomic write: approving completes it (the held points leave the
 * source member's hold, the destination member is credited), rejecting releases the points back. The
 * review records who decided, when and why; a decision row keyed by the review makes a second decision,
 * even a concurrent one, fail with 409. Between programs on different databases, approving starts the saga from the
 * hold instead (the conversion `pending`, then completed or failed by the saga, docs/scale-out.md); rejecting releases
 * the hold only while no saga started from it.
 */
export async function decideConversionReview(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids" | "log" | "shards">,
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

  const approved = input.decision === "approved";
  const elsewhere = approved ? await otherDatabase(deps, held.conversion.toProgramId) : undefined;
  const conversion: Conversion = {
    ...held.conversion,
    status: approved ? (elsewhere ? "pending" : "completed") : "rejected",
    decidedAt: elsewhere ? null : now,
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

  const decided = [
    ...decideReviewStatements({
      reviewId: review.id,
      decision: input.decision,
      decidedBy: input.decidedBy,
      reason: input.reason,
      at: now,
    }),
    decideConversionStatement(conversion.id, conversion.status, conversion.decidedAt),
  ];
  const reviewTaken = (violation: ConstraintViolation) =>
    violation.constraint.startsWith("review_decisions.")
      ? new ApiError("conflict", `Review ${review.id} has already been decided.`)
      : undefined;
  if (elsewhere) {
    const started = await startHeldConversion(
      deps,
      {
        saga: sagaOf(conversion, holdTransactionId, now),
        destinationExpiresAfterDays: held.destinationExpiresAfterDays,
        ids: deps.ids,
        request: { guards: decided, body, status: 200, idempotency },
      },
      reviewTaken,
    );
    // The answer is the approval as committed; the conversion's own answer tells how it ended.
    await driveConversion(deps, elsewhere, conversion.id);
    return started;
  }

  return commitUnit(
    deps.writer,
    {
      guards: [
        ...decided,
        // A rejected conversion no longer counts towards the member's daily maximum (of the day it was made), and its
        // hold goes back only if no saga started from it (an approval between two databases).
        ...(input.decision === "rejected"
          ? [
              ...(rate.maxPointsPerDay === null
                ? []
                : [countTowardsDailyMaximum(conversion, rate.maxPointsPerDay, conversion.createdAt, -1)]),
              holdOpenStatement(holdTransactionId),
            ]
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
    (violation) =>
      reviewTaken(violation) ??
      (refusalOf(violation) === "invalid_state"
        ? new ApiError("conflict", `The hold of review ${review.id} no longer reserves the points.`)
        : undefined),
  );
}
