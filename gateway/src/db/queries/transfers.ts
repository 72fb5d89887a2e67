import { first, type SqlReader } from "../reader";
import { type ledgerTransactions, type members, type programs, transfers } from "../schema";
import type { Statement } from "../writer";
import { refusalStatement } from "./refusals";
import { type HeldReviewRow, heldReviewColumns, heldReviewOf } from "./reviews";
import { fromSqlRow, type SqlRow } from "./rows";

export type TransferRow = typeof transfers.$inferSelect;

// Transfers that count towards the sender's monthly maximum: a rejected one gives its points back, and its share.
const countingStatuses = "('completed', 'held')";

/** A new transfer, in the same atomic write as its legs (or its hold). */
export const insertTransferStatement = (t: TransferRow): Statement => ({
  sql: `insert into transfers (id, program_id, from_member_id, to_member_id, partner_id, points, fee_points,
          received_points, reference, status, month, out_transaction_id, in_transaction_id, review_id, created_at,
          updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    t.id,
    t.programId,
    t.fromMemberId,
    t.toMemberId,
    t.partnerId,
    t.points,
    t.feePoints,
    t.receivedPoints,
    t.reference,
    t.status,
    t.month,
    t.outTransactionId,
    t.inTransactionId,
    t.reviewId,
    t.createdAt.getTime(),
    t.updatedAt.getTime(),
  ],
});

/**
 * After the transfer's row: refuses the write (`limit_exceeded`) when the points the sender sent in `month`
 * (completed and held transfers, this one included) now exceed `max`. Reaching it exactly is allowed. Inside the
 * write, so racing transfers cannot pass the maximum together.
 */
export const monthlyMaximumStatement = (memberId: string, month: string, max: number): Statement =>
  refusalStatement(
    "limit_exceeded",
    `(select coalesce(sum(points), 0) from transfers
      where from_member_id = ? and month = ? and status in ${countingStatuses}) <= ?`,
    [memberId, month, max],
  );

/** Points the member sent in `month` (completed and held transfers). */
export async function sumSentInMonth(reader: SqlReader, memberId: string, month: string): Promise<number> {
  const row = await first<{ points: number }>(
    reader,
    `select coalesce(sum(points), 0) as points from transfers
     where from_member_id = ? and month = ? and status in ${countingStatuses}`,
    [memberId, month],
  );
  return row?.points ?? 0;
}

/**
 * A held transfer decided: completed (with the legs the approval wrote) or rejected. Only a held one changes; the
 * review's decision row already refuses a second decision.
 */
export const decideTransferStatement = (
  id: string,
  decided: Pick<TransferRow, "status" | "outTransactionId" | "inTransactionId" | "updatedAt">,
): Statement => ({
  sql: `update transfers set status = ?, out_transaction_id = ?, in_transaction_id = ?, updated_at = ?
        where id = ? and status = 'held'`,
  args: [decided.status, decided.outTransactionId, decided.inTransactionId, decided.updatedAt.getTime(), id],
});

type MemberRow = SqlRow<typeof members>;
type TransactionRow = SqlRow<typeof ledgerTransactions>;

/** A transfer with what its answer and its decision need: both members' external ids, the program, the balances. */
export type TransferDetails = {
  transfer: TransferRow;
  sides: { fromExternalId: string; toExternalId: string };
  program: { ownerId: string; pointsExpireAfterDays: number | null };
  /** `balance_after` of its out transaction (the hold while held or rejected) and of its in transaction. */
  balances: { from: number; to: number | null };
};

type DetailsRow = SqlRow<typeof transfers> & {
  from_external_id: MemberRow["external_id"];
  to_external_id: MemberRow["external_id"];
  owner_id: SqlRow<typeof programs>["partner_id"];
  expire_days: SqlRow<typeof programs>["points_expire_after_days"];
  from_balance_after: TransactionRow["balance_after"];
  to_balance_after: TransactionRow["balance_after"] | null;
};

const detailsColumns = `tr.*, fm.external_id as from_external_id, tm.external_id as to_external_id,
  p.partner_id as owner_id, p.points_expire_after_days as expire_days,
  o.balance_after as from_balance_after, i.balance_after as to_balance_after`;

const detailsJoins = `join members fm on fm.id = tr.from_member_id join members tm on tm.id = tr.to_member_id
  join programs p on p.id = tr.program_id join ledger_transactions o on o.id = tr.out_transaction_id
  left join ledger_transactions i on i.id = tr.in_transaction_id`;

const toDetails = (row: DetailsRow): TransferDetails => ({
  transfer: fromSqlRow(transfers, row),
  sides: { fromExternalId: row.from_external_id, toExternalId: row.to_external_id },
  program: { ownerId: row.owner_id, pointsExpireAfterDays: row.expire_days },
  balances: { from: row.from_balance_after, to: row.to_balance_after },
});

export async function findTransferDetails(reader: SqlReader, id: string): Promise<TransferDetails | undefined> {
  const row = await first<DetailsRow>(
    reader,
    `select ${detailsColumns} from transfers tr ${detailsJoins} where tr.id = ?`,
    [id],
  );
  return row && toDetails(row);
}

/** Every transfer a member sent or received, newest first, with what its answer needs. */
export async function listMemberTransferDetails(reader: SqlReader, memberId: string): Promise<TransferDetails[]> {
  const rows = await reader.all<DetailsRow>(
    `select ${detailsColumns} from transfers tr ${detailsJoins}
     where tr.from_member_id = ?1 or tr.to_member_id = ?1 order by tr.id desc`,
    [memberId],
  );
  return rows.map(toDetails);
}

/** The transfer a review holds, with the review's state; undefined when no review holds a transfer by that id. */
export async function findHeldTransfer(reader: SqlReader, reviewId: string) {
  const row = await first<DetailsRow & HeldReviewRow>(
    reader,
    `select ${detailsColumns}, ${heldReviewColumns}
     from reviews rv join transfers tr on tr.id = rv.transfer_id ${detailsJoins}
     where rv.id = ?`,
    [reviewId],
  );
  return row && { ...toDetails(row), review: heldReviewOf(reviewId, row) };
}
