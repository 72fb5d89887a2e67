import type { SqlReader } from "../reader";
import type { conversions, ledgerTransactions, members, partners, programs, reviews } from "../schema";
import type { Nullable, SqlRow } from "./rows";

/**
 * What the operator reads to decide a review (read-only): the review with its partner, source program and member
 * (balances, member since), for a held conversion its destination and amounts, and the member's recent movements.
 */

type ReviewRow = SqlRow<typeof reviews>;
type ConversionRow = SqlRow<typeof conversions>;

type ReviewContextRow = Pick<
  ReviewRow,
  "id" | "kind" | "rule" | "reason" | "points" | "status" | "member_id" | "created_at" | "decision_reason"
> & {
  partner_name: SqlRow<typeof partners>["name"];
  program_name: SqlRow<typeof programs>["name"];
  program_currency: SqlRow<typeof programs>["settlement_currency"];
  external_id: SqlRow<typeof members>["external_id"];
  member_since: SqlRow<typeof members>["created_at"];
  available: number;
  pending: number;
  /** For a burn: the redeem price of the burning partner's agreement in force when it was held. */
  redeem_price_micros: number | null;
} & Nullable<
    Pick<ConversionRow, "from_points" | "fee_points" | "to_points" | "settlement_price_micros" | "settlement_currency">
  > & {
    to_program_name: string | null;
    to_external_id: string | null;
  };

/** A review as the operator's card shows it. */
export type ReviewContext = {
  id: string;
  kind: ReviewRow["kind"];
  status: ReviewRow["status"];
  rule: string;
  reason: string;
  decisionReason: string | null;
  points: number;
  createdAt: Date;
  partnerName: string;
  program: { name: string; currency: string };
  member: { id: string; externalId: string; since: Date; available: number; pending: number };
  redeemPriceMicros: number | null;
  conversion: {
    fromPoints: number;
    feePoints: number;
    toPoints: number;
    settlementPriceMicros: number;
    currency: string;
    toProgramName: string;
    toExternalId: string;
  } | null;
};

const contextQuery = `
  select r.id, r.kind, r.rule, r.reason, r.points, r.status, r.member_id, r.created_at, r.decision_reason,
         pt.name as partner_name, p.name as program_name, p.settlement_currency as program_currency,
         m.external_id, m.created_at as member_since,
         (select coalesce(sum(balance), 0) from accounts where member_id = r.member_id and kind = 'member') as available,
         (select coalesce(sum(balance), 0) from accounts where member_id = r.member_id and kind = 'member_hold') as pending,
         (select a.redeem_price_micros from agreements a
           where a.program_id = r.program_id and a.partner_id = r.partner_id and a.valid_from <= r.created_at
           order by a.valid_from desc limit 1) as redeem_price_micros,
         c.from_points, c.fee_points, c.to_points, c.settlement_price_micros, c.settlement_currency,
         tp.name as to_program_name, tm.external_id as to_external_id
  from reviews r
  join partners pt on pt.id = r.partner_id
  join programs p on p.id = r.program_id
  join members m on m.id = r.member_id
  left join conversions c on c.id = r.conversion_id
  left join programs tp on tp.id = c.to_program_id
  left join members tm on tm.id = c.to_member_id`;

const toReviewContext = (row: ReviewContextRow): ReviewContext => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  rule: row.rule,
  reason: row.reason,
  decisionReason: row.decision_reason,
  points: row.points,
  createdAt: new Date(row.created_at),
  partnerName: row.partner_name,
  program: { name: row.program_name, currency: row.program_currency },
  member: {
    id: row.member_id,
    externalId: row.external_id,
    since: new Date(row.member_since),
    available: row.available,
    pending: row.pending,
  },
  redeemPriceMicros: row.redeem_price_micros,
  conversion:
    row.to_points !== null &&
    row.from_points !== null &&
    row.fee_points !== null &&
    row.settlement_price_micros !== null &&
    row.settlement_currency !== null
      ? {
          fromPoints: row.from_points,
          feePoints: row.fee_points,
          toPoints: row.to_points,
          settlementPriceMicros: row.settlement_price_micros,
          currency: row.settlement_currency,
          toProgramName: row.to_program_name ?? "",
          toExternalId: row.to_external_id ?? "",
        }
      : null,
});

/** The pending reviews with their context, oldest first (the order the operator works through them). */
export async function listPendingReviewContexts(reader: SqlReader, limit: number): Promise<ReviewContext[]> {
  const rows = await reader.all<ReviewContextRow>(`${contextQuery} where r.status = 'pending' order by r.id limit ?`, [
    limit,
  ]);
  return rows.map(toReviewContext);
}

/** One review with its context, whatever its status. */
export async function findReviewContext(reader: SqlReader, id: string): Promise<ReviewContext | undefined> {
  const [row] = await reader.all<ReviewContextRow>(`${contextQuery} where r.id = ?`, [id]);
  return row && toReviewContext(row);
}

type MovementRow = Pick<SqlRow<typeof ledgerTransactions>, "id" | "type" | "points" | "balance_after" | "created_at">;

/** A member's latest movements, newest first. */
export async function listRecentMemberMovements(reader: SqlReader, memberId: string, limit: number) {
  const rows = await reader.all<MovementRow>(
    `select id, type, points, balance_after, created_at from ledger_transactions
     where member_id = ? order by id desc limit ?`,
    [memberId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    points: row.points,
    balanceAfter: row.balance_after,
    createdAt: new Date(row.created_at),
  }));
}
