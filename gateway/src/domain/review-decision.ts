import type { Decision } from "./reviews";

/** What a decided review's answer says of the held operation: its kind, its figures and its records. */
type Subject = {
  kind: "burn" | "conversion" | "redemption" | "transfer";
  partnerId: string;
  programId: string;
  memberId: string;
  points: number;
  conversionId?: string;
  redemptionId?: string;
  transferId?: string;
  conversion?: unknown;
  transaction?: unknown;
  /** A redemption's or a transfer's record, after the transaction. */
  redemption?: unknown;
  transfer?: unknown;
};

/**
 * The answer of `POST /v1/reviews/{id}/approve|reject`, whichever kind of operation was held: the review as
 * decided, the ids of its operation, and the records the decision wrote (null where the kind has none).
 */
export function decidedReviewBody(
  review: { id: string; rule: string; reason: string; createdAt: Date },
  decision: { decision: Decision; decidedBy: string; reason: string | null },
  at: Date,
  subject: Subject,
) {
  return {
    id: review.id,
    kind: subject.kind,
    status: decision.decision,
    rule: review.rule,
    reason: review.reason,
    partner_id: subject.partnerId,
    program_id: subject.programId,
    member_id: subject.memberId,
    points: subject.points,
    conversion_id: subject.conversionId ?? null,
    redemption_id: subject.redemptionId ?? null,
    transfer_id: subject.transferId ?? null,
    decided_by: decision.decidedBy,
    decision_reason: decision.reason,
    decided_at: at.toISOString(),
    created_at: review.createdAt.toISOString(),
    conversion: subject.conversion ?? null,
    transaction: subject.transaction ?? null,
    ...(subject.redemption !== undefined && { redemption: subject.redemption }),
    ...(subject.transfer !== undefined && { transfer: subject.transfer }),
  };
}
