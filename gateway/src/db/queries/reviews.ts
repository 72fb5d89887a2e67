import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { type reviewDecisions, reviews } from "../schema";
import type { Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";
import type { SqlRow } from "./rows";

type Review = typeof reviews.$inferSelect;
type Decision = (typeof reviewDecisions.$inferSelect)["decision"];

/** A held operation's review, pending; written in the same atomic unit as the hold it reviews. */
export const insertReviewStatement = (
  review: Omit<typeof reviews.$inferInsert, "status" | "decidedBy" | "decisionReason" | "decidedAt">,
): Statement => ({
  sql: `insert into reviews (id, kind, conversion_id, redemption_id, transfer_id, hold_transaction_id, reference,
          description, partner_id, program_id, member_id, points, rule, reason, status, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  args: [
    review.id,
    review.kind,
    review.conversionId ?? null,
    review.redemptionId ?? null,
    review.transferId ?? null,
    review.holdTransactionId ?? null,
    review.reference ?? null,
    review.description ?? null,
    review.partnerId,
    review.programId,
    review.memberId,
    review.points,
    review.rule,
    review.reason,
    review.createdAt.getTime(),
  ],
});

/**
 * Records a decision on a review: the decision row first (its primary key is the review, so a second decision,
 * even a concurrent one, fails the whole unit on `review_decisions.review_id`), then the review itself.
 */
export const decideReviewStatements = (decision: {
  reviewId: string;
  decision: Decision;
  decidedBy: string;
  reason: string | null;
  at: Date;
}): Statement[] => [
  {
    sql: "insert into review_decisions (review_id, decision, decided_at) values (?, ?, ?)",
    args: [decision.reviewId, decision.decision, decision.at.getTime()],
  },
  {
    sql: "update reviews set status = ?, decided_by = ?, decision_reason = ?, decided_at = ? where id = ?",
    args: [decision.decision, decision.decidedBy, decision.reason, decision.at.getTime(), decision.reviewId],
  },
];

/** Which kind of operation a review holds, or undefined when there is no such review. */
export async function findReviewKind(reader: SqlReader, id: string): Promise<Review["kind"] | undefined> {
  const row = await first<Pick<SqlRow<typeof reviews>, "kind">>(reader, "select kind from reviews where id = ?", [id]);
  return row?.kind;
}

/** A page of reviews, newest first; `status: "pending"` is the review queue. */
export async function listReviewsPage(db: Db, query: PageQuery & { status?: Review["status"] }) {
  const page = pageBy(reviews.id, query);
  const rows = await db
    .select()
    .from(reviews)
    .where(both(query.status ? eq(reviews.status, query.status) : undefined, page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

type ReviewRow = SqlRow<typeof reviews>;

/** A held operation's review as the reads of what it holds select it along (`rv` is the review's alias). */
export const heldReviewColumns = "rv.status as review_status, rv.rule, rv.reason, rv.created_at as review_created_at";

export type HeldReviewRow = Pick<ReviewRow, "rule" | "reason"> & {
  review_status: ReviewRow["status"];
  review_created_at: ReviewRow["created_at"];
};

/** The review of `heldReviewColumns`: its state, rule and reason, and when it was opened. */
export const heldReviewOf = (id: string, row: HeldReviewRow) => ({
  id,
  status: row.review_status,
  rule: row.rule,
  reason: row.reason,
  createdAt: new Date(row.review_created_at),
});
