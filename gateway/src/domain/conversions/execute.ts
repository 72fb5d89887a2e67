import { insertConversionStatement } from "../../db/queries/conversions";
import { insertFraudEventStatement } from "../../db/queries/fraud";
import { findQuoteToExecute } from "../../db/queries/quotes";
import { insertReviewStatement } from "../../db/queries/reviews";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { memberAccess } from "../access";
import { refuse } from "../fraud/events";
import { conversionVerdict } from "../fraud/velocity";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import { ensureNotErased } from "../privacy/erased";
import { convertAcrossDatabases } from "./across-databases";
import { countTowardsDailyMaximum } from "./daily-maximum";
import { otherDatabase } from "./databases";
import { destinationMember } from "./members";
import { conversionPostings, holdPosting } from "./postings";
import { type Conversion, conversionBody } from "./present";

/** What the unit's guards mean when they refuse it. */
const conversionConstraints = (violation: ConstraintViolation) => {
  if (violation.constraint.startsWith("conversions.quote_id"))
    return new ApiError("conflict", "This quote has already been used; request a new quote.");
  if (violation.constraint === "conversion_daily_usage_within_limit")
    return new ApiError("conflict", "The member has reached today's maximum for conversions to this program.");
  return undefined;
};

/**
 * Executes a quote in one atomic write: the conversion (claiming the quote), the daily total, and either
 * both programs' journal legs (201 completed) or, when the program's fraud rules say so (review threshold,
 * daily conversion maximum, first conversion to a new destination), a hold of the points and a review
 * (202 held). Events go to the caller and both programs' owners. When the destination program is on another
 * database, the legs are a saga instead (`convertAcrossDatabases`: 201 completed or failed, or 202 pending).
 */
export async function executeQuote(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "realClock" | "ids" | "limiter" | "log" | "shards">,
  input: { partnerId: string; quoteId: string },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const now = deps.clock.now();
  const found = await findQuoteToExecute(deps.reader, input.quoteId, input.partnerId);
  if (!found) throw new ApiError("not_found", `No quote ${input.quoteId}.`);
  const { quote, sides, rate } = found;
  if (found.usedByConversionId)
    throw new ApiError(
      "conflict",
      `This quote was already used by conversion ${found.usedByConversionId}; request a new quote.`,
    );
  if (quote.expiresAt.getTime() <= now.getTime())
    throw new ApiError(
      "quote_expired",
      "The quote has expired; request a new one (quotes hold their rate for a short time).",
    );
  // The agreement may have changed since the quote: burning in the source program must still be allowed.
  const source = await memberAccess(
    deps.reader,
    quote.fromProgramId,
    sides.fromExternalId,
    input.partnerId,
    now,
    "burn",
  );
  ensureNotErased(source.member);
  const elsewhere = await otherDatabase(deps, quote.toProgramId);
  const destination = await destinationMember((elsewhere ?? deps).reader, quote.toProgramId, sides.toExternalId);

  const verdict = await conversionVerdict(deps, source, quote.fromPoints, destination.memberId);
  const fraudContext = {
    operation: "conversion" as const,
    partnerId: input.partnerId,
    programId: quote.fromProgramId,
    memberId: quote.fromMemberId,
    points: quote.fromPoints,
  };
  if (verdict.action === "reject") await refuse(deps, verdict, fraudContext);
  const held = verdict.action === "hold";
  // Held, its points wait in the source for the review; between two databases they wait there for the saga.
  const reserved = held || elsewhere !== undefined;
  const conversion: Conversion = {
    id: deps.ids("cnv"),
    quoteId: quote.id,
    partnerId: input.partnerId,
    rateId: quote.rateId,
    fromProgramId: quote.fromProgramId,
    fromMemberId: quote.fromMemberId,
    toProgramId: quote.toProgramId,
    toMemberId: destination.memberId,
    fromPoints: quote.fromPoints,
    feePoints: quote.feePoints,
    toPoints: quote.toPoints,
    settlementPriceMicros: destination.issuePriceMicros,
    settlementCurrency: destination.settlementCurrency,
    status: held ? "held" : elsewhere ? "pending" : "completed",
    reviewId: held ? deps.ids("rev") : null,
    holdTransactionId: reserved ? deps.ids("txn") : null,
    createdAt: now,
    decidedAt: reserved ? null : now,
  };
  const body = conversionBody(conversion, rate, sides);
  const context = {
    conversion,
    partnerId: input.partnerId,
    at: now,
    destinationExpiresAfterDays: destination.pointsExpireAfterDays,
  };
  const recipients = [...new Set([input.partnerId, source.program.partnerId, destination.ownerPartnerId])];
  const dailyMaximum =
    rate.maxPointsPerDay === null ? [] : [countTowardsDailyMaximum(conversion, rate.maxPointsPerDay, now)];
  if (elsewhere && !held && conversion.holdTransactionId)
    return convertAcrossDatabases(
      deps,
      elsewhere,
      {
        conversion: { ...conversion, holdTransactionId: conversion.holdTransactionId },
        body,
        guards: [insertConversionStatement(conversion), ...dailyMaximum],
        destinationExpiresAfterDays: destination.pointsExpireAfterDays,
        idempotency,
      },
      conversionConstraints,
    );

  return commitUnit(
    deps.writer,
    {
      guards: [
        insertConversionStatement(conversion),
        ...dailyMaximum,
        ...(verdict.action === "hold" && conversion.reviewId
          ? [
              insertReviewStatement({
                id: conversion.reviewId,
                kind: "conversion",
                conversionId: conversion.id,
                partnerId: input.partnerId,
                programId: conversion.fromProgramId,
                memberId: conversion.fromMemberId,
                points: conversion.fromPoints,
                rule: verdict.rule,
                reason: verdict.reason,
                createdAt: now,
              }),
              insertFraudEventStatement({
                id: deps.ids("fev"),
                rule: verdict.rule,
                decision: "held",
                ...fraudContext,
                detail: verdict.reason,
                reviewId: conversion.reviewId,
                at: now,
              }),
            ]
          : []),
      ],
      postings:
        held && conversion.holdTransactionId
          ? [holdPosting(context, conversion.holdTransactionId)]
          : conversionPostings(context, { out: deps.ids("txn"), in: deps.ids("txn") }),
      events: recipients.map((partnerId) => ({
        id: deps.ids("evt"),
        partnerId,
        type: held ? ("conversion.held" as const) : ("conversion.completed" as const),
        at: now,
      })),
      body,
      status: held ? 202 : 201,
      idempotency,
    },
    conversionConstraints,
  );
}
