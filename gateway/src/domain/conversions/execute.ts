import { first } from "../../db/reader";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { memberAccess } from "../access";
import { fraudEventStatement, refuse } from "../fraud/events";
import { conversionVerdict } from "../fraud/velocity";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import { destinationMember } from "./members";
import { conversionPostings, holdPosting } from "./postings";
import { type Conversion, conversionBody } from "./present";
import { countTowardsDailyMaximum, insertConversion } from "./statements";

type QuoteRow = {
  id: string;
  rate_id: string;
  from_program_id: string;
  from_member_id: string;
  from_external_id: string;
  to_program_id: string;
  to_external_id: string;
  from_points: number;
  fee_points: number;
  to_points: number;
  expires_at: number;
  rate_from_points: number;
  rate_to_points: number;
  fee_bps: number;
  max_points_per_day: number | null;
  conversion_id: string | null;
};

/** What the unit's guards mean when they refuse it. */
export const conversionConstraints = (violation: ConstraintViolation) => {
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
 * (202 held). Events go to the caller and both programs' owners.
 */
export async function executeQuote(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids" | "limiter" | "log">,
  input: { partnerId: string; quoteId: string },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const now = deps.clock.now();
  const quote = await first<QuoteRow>(
    deps.reader,
    `select q.*, fm.external_id as from_external_id, tm.external_id as to_external_id, r.from_points as rate_from_points,
            r.to_points as rate_to_points, r.fee_bps, r.max_points_per_day, c.id as conversion_id
     from quotes q join members fm on fm.id = q.from_member_id join members tm on tm.id = q.to_member_id
     join conversion_rates r on r.id = q.rate_id left join conversions c on c.quote_id = q.id
     where q.id = ? and q.partner_id = ?`,
    [input.quoteId, input.partnerId],
  );
  if (!quote) throw new ApiError("not_found", `No quote ${input.quoteId}.`);
  if (quote.conversion_id)
    throw new ApiError(
      "conflict",
      `This quote was already used by conversion ${quote.conversion_id}; request a new quote.`,
    );
  if (quote.expires_at <= now.getTime())
    throw new ApiError(
      "quote_expired",
      "The quote has expired; request a new one (quotes hold their rate for a short time).",
    );
  // The agreement may have changed since the quote: burning in the source program must still be allowed.
  const source = await memberAccess(
    deps.reader,
    quote.from_program_id,
    quote.from_external_id,
    input.partnerId,
    now,
    "burn",
  );
  const destination = await destinationMember(deps.reader, quote.to_program_id, quote.to_external_id);

  const verdict = await conversionVerdict(deps, source, quote.from_points, destination.memberId);
  const fraudContext = {
    operation: "conversion" as const,
    partnerId: input.partnerId,
    programId: quote.from_program_id,
    memberId: quote.from_member_id,
    points: quote.from_points,
  };
  if (verdict.action === "reject") await refuse(deps, verdict, fraudContext);
  const held = verdict.action === "hold";
  const conversion: Conversion = {
    id: deps.ids("cnv"),
    quoteId: quote.id,
    partnerId: input.partnerId,
    rateId: quote.rate_id,
    fromProgramId: quote.from_program_id,
    fromMemberId: quote.from_member_id,
    toProgramId: quote.to_program_id,
    toMemberId: destination.memberId,
    fromPoints: quote.from_points,
    feePoints: quote.fee_points,
    toPoints: quote.to_points,
    settlementPriceMicros: destination.issuePriceMicros,
    settlementCurrency: destination.settlementCurrency,
    status: held ? "held" : "completed",
    reviewId: held ? deps.ids("rev") : null,
    holdTransactionId: held ? deps.ids("txn") : null,
    createdAt: now,
    decidedAt: held ? null : now,
  };
  const rate = {
    id: quote.rate_id,
    fromPoints: quote.rate_from_points,
    toPoints: quote.rate_to_points,
    feeBps: quote.fee_bps,
  };
  const body = conversionBody(conversion, rate, {
    fromExternalId: quote.from_external_id,
    toExternalId: quote.to_external_id,
  });
  const context = {
    conversion,
    partnerId: input.partnerId,
    at: now,
    destinationExpiresAfterDays: destination.pointsExpireAfterDays,
  };
  const recipients = [...new Set([input.partnerId, source.program.partnerId, destination.ownerPartnerId])];

  return commitUnit(
    deps.writer,
    {
      guards: [
        insertConversion(conversion),
        ...(quote.max_points_per_day === null
          ? []
          : [countTowardsDailyMaximum(conversion, quote.max_points_per_day, now)]),
        ...(verdict.action === "hold" && conversion.reviewId
          ? [
              {
                sql: `insert into reviews (id, kind, conversion_id, partner_id, program_id, member_id, points, rule, reason,
                        status, created_at) values (?, 'conversion', ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
                args: [
                  conversion.reviewId,
                  conversion.id,
                  input.partnerId,
                  conversion.fromProgramId,
                  conversion.fromMemberId,
                  conversion.fromPoints,
                  verdict.rule,
                  verdict.reason,
                  now.getTime(),
                ],
              },
              fraudEventStatement({
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
