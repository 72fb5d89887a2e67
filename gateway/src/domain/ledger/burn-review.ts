import { first } from "../../db/reader";
import type { ConstraintViolation } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { Decision } from "../reviews";
import { accountIds } from "./accounts";
import { type CommittedResponse, commitUnit, type IdempotencyRecord, type TransactionRow } from "./movement";
import { transactionBody } from "./present";

type HeldBurn = {
  id: string;
  status: string;
  rule: string;
  reason: string;
  partner_id: string;
  program_id: string;
  member_id: string;
  external_id: string;
  points: number;
  hold_transaction_id: string;
  reference: string | null;
  description: string | null;
  created_at: number;
  owner: string;
};

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
  const review = await first<HeldBurn>(
    deps.reader,
    `select r.id, r.status, r.rule, r.reason, r.partner_id, r.program_id, r.member_id, m.external_id, r.points,
            r.hold_transaction_id, r.reference, r.description, r.created_at, p.partner_id as owner
     from reviews r join members m on m.id = r.member_id join programs p on p.id = r.program_id
     where r.id = ? and r.kind = 'burn'`,
    [input.reviewId],
  );
  if (!review) throw new ApiError("not_found", `No review ${input.reviewId}.`);
  if (review.status !== "pending") throw new ApiError("conflict", `Review ${review.id} is already ${review.status}.`);
  const approved = input.decision === "approved";
  const transaction: TransactionRow = {
    id: deps.ids("txn"),
    type: approved ? "burn" : "release",
    programId: review.program_id,
    memberId: review.member_id,
    partnerId: review.partner_id,
    points: review.points,
    reference: review.reference,
    description: review.description,
    originalTransactionId: review.hold_transaction_id,
    expiresAt: null,
    purchaseAmountMinor: null,
    purchaseCurrency: null,
    createdAt: now,
  };
  const hold = {
    id: accountIds.memberHold(review.member_id),
    programId: review.program_id,
    kind: "member_hold" as const,
    memberId: review.member_id,
  };
  const to = approved
    ? {
        id: accountIds.redeemed(review.program_id, review.partner_id),
        programId: review.program_id,
        kind: "redeemed" as const,
        partnerId: review.partner_id,
      }
    : {
        id: accountIds.member(review.member_id),
        programId: review.program_id,
        kind: "member" as const,
        memberId: review.member_id,
      };
  const transactionData = { ...transactionBody(transaction, { externalId: review.external_id }), balance_after: 0 };
  const balance = { sql: "select balance from accounts where id = ?", args: [accountIds.member(review.member_id)] };
  return commitUnit(
    deps.writer,
    {
      guards: [
        {
          sql: "insert into review_decisions (review_id, decision, decided_at) values (?, ?, ?)",
          args: [review.id, input.decision, now.getTime()],
        },
        {
          sql: "update reviews set status = ?, decided_by = ?, decision_reason = ?, decided_at = ? where id = ?",
          args: [input.decision, input.decidedBy, input.reason, now.getTime(), review.id],
        },
      ],
      postings: [
        {
          transaction,
          legs: [
            { account: hold, amount: -review.points },
            { account: to, amount: review.points },
          ],
          balanceAccountId: accountIds.member(review.member_id),
        },
      ],
      events: [...new Set([review.partner_id, review.owner])].map((partnerId) => ({
        id: deps.ids("evt"),
        partnerId,
        type: approved ? ("points.burned" as const) : ("points.released" as const),
        at: now,
      })),
      body: {
        id: review.id,
        kind: "burn",
        status: input.decision,
        rule: review.rule,
        reason: review.reason,
        partner_id: review.partner_id,
        program_id: review.program_id,
        member_id: review.member_id,
        points: review.points,
        conversion_id: null,
        decided_by: input.decidedBy,
        decision_reason: input.reason,
        decided_at: now.toISOString(),
        created_at: new Date(review.created_at).toISOString(),
        conversion: null,
        transaction: transactionData,
      },
      bodyPatches: [{ path: "$.transaction.balance_after", ...balance }],
      status: 200,
      idempotency,
    },
    (violation: ConstraintViolation) =>
      violation.constraint.startsWith("review_decisions.")
        ? new ApiError("conflict", `Review ${review.id} has already been decided.`)
        : undefined,
  );
}
