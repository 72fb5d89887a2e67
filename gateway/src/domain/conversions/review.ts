import { first } from "../../db/reader";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import type { Decision } from "../reviews";
import { conversionPostings, releasePosting } from "./postings";
import { type Conversion, conversionBody } from "./present";
import { countTowardsDailyMaximum } from "./statements";

type HeldRow = {
  review_id: string;
  review_status: string;
  rule: string;
  reason: string;
  review_created_at: number;
  conversion_id: string;
  quote_id: string;
  partner_id: string;
  rate_id: string;
  from_program_id: string;
  from_member_id: string;
  from_external_id: string;
  to_program_id: string;
  to_member_id: string;
  to_external_id: string;
  from_points: number;
  fee_points: number;
  to_points: number;
  settlement_price_micros: number;
  settlement_currency: string;
  hold_transaction_id: string;
  conversion_created_at: number;
  rate_from_points: number;
  rate_to_points: number;
  fee_bps: number;
  max_points_per_day: number | null;
  from_owner: string;
  to_owner: string;
  to_expire_days: number | null;
};

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
  const row = await first<HeldRow>(
    deps.reader,
    `select rv.id as review_id, rv.status as review_status, rv.rule, rv.reason, rv.created_at as review_created_at,
            c.id as conversion_id, c.quote_id, c.partner_id, c.rate_id, c.from_program_id, c.from_member_id,
            fm.external_id as from_external_id, c.to_program_id, c.to_member_id, tm.external_id as to_external_id,
            c.from_points, c.fee_points, c.to_points, c.settlement_price_micros, c.settlement_currency,
            c.hold_transaction_id, c.created_at as conversion_created_at,
            r.from_points as rate_from_points, r.to_points as rate_to_points, r.fee_bps, r.max_points_per_day,
            fp.partner_id as from_owner, tp.partner_id as to_owner, tp.points_expire_after_days as to_expire_days
     from reviews rv join conversions c on c.id = rv.conversion_id
     join members fm on fm.id = c.from_member_id join members tm on tm.id = c.to_member_id
     join conversion_rates r on r.id = c.rate_id
     join programs fp on fp.id = c.from_program_id join programs tp on tp.id = c.to_program_id
     where rv.id = ?`,
    [input.reviewId],
  );
  if (!row) throw new ApiError("not_found", `No review ${input.reviewId}.`);
  if (row.review_status !== "pending")
    throw new ApiError("conflict", `Review ${row.review_id} is already ${row.review_status}.`);

  const conversion: Conversion = {
    id: row.conversion_id,
    quoteId: row.quote_id,
    partnerId: row.partner_id,
    rateId: row.rate_id,
    fromProgramId: row.from_program_id,
    fromMemberId: row.from_member_id,
    toProgramId: row.to_program_id,
    toMemberId: row.to_member_id,
    fromPoints: row.from_points,
    feePoints: row.fee_points,
    toPoints: row.to_points,
    settlementPriceMicros: row.settlement_price_micros,
    settlementCurrency: row.settlement_currency,
    status: input.decision === "approved" ? "completed" : "rejected",
    reviewId: row.review_id,
    holdTransactionId: row.hold_transaction_id,
    createdAt: new Date(row.conversion_created_at),
    decidedAt: now,
  };
  const rate = { id: row.rate_id, fromPoints: row.rate_from_points, toPoints: row.rate_to_points, feeBps: row.fee_bps };
  const conversionData = conversionBody(conversion, rate, {
    fromExternalId: row.from_external_id,
    toExternalId: row.to_external_id,
  });
  const context = { conversion, partnerId: row.partner_id, at: now, destinationExpiresAfterDays: row.to_expire_days };
  const recipients = [...new Set([row.partner_id, row.from_owner, row.to_owner])];
  const body = {
    id: row.review_id,
    kind: "conversion",
    status: input.decision,
    rule: row.rule,
    reason: row.reason,
    partner_id: row.partner_id,
    program_id: row.from_program_id,
    member_id: row.from_member_id,
    points: row.from_points,
    conversion_id: row.conversion_id,
    decided_by: input.decidedBy,
    decision_reason: input.reason,
    decided_at: now.toISOString(),
    created_at: new Date(row.review_created_at).toISOString(),
    conversion: conversionData,
    transaction: null,
  };

  return commitUnit(
    deps.writer,
    {
      guards: [
        {
          sql: "insert into review_decisions (review_id, decision, decided_at) values (?, ?, ?)",
          args: [row.review_id, input.decision, now.getTime()],
        },
        {
          sql: "update reviews set status = ?, decided_by = ?, decision_reason = ?, decided_at = ? where id = ?",
          args: [input.decision, input.decidedBy, input.reason, now.getTime(), row.review_id],
        },
        {
          sql: "update conversions set status = ?, decided_at = ? where id = ?",
          args: [conversion.status, now.getTime(), conversion.id],
        },
        // A rejected conversion no longer counts towards the member's daily maximum (of the day it was made).
        ...(input.decision === "rejected" && row.max_points_per_day !== null
          ? [countTowardsDailyMaximum(conversion, row.max_points_per_day, conversion.createdAt, -1)]
          : []),
      ],
      postings:
        input.decision === "approved"
          ? conversionPostings(
              context,
              { out: deps.ids("txn"), in: deps.ids("txn") },
              { holdTransactionId: row.hold_transaction_id },
            )
          : [releasePosting(context, deps.ids("txn"), row.hold_transaction_id)],
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
        ? new ApiError("conflict", `Review ${row.review_id} has already been decided.`)
        : undefined,
  );
}
