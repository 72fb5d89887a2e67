import { findTransactionTypes, listMemberTransactionsPage } from "../../db/queries/ledger";
import type { PageQuery } from "../../db/queries/pages";
import type { Deps } from "../../deps";
import type { TransactionRow } from "./movement";

type TransactionType = TransactionRow["type"];

/**
 * One line of a member's history as the member's own pages say it: the movement's type and how it changed the
 * member's points, signed (+ in, - out). A hold or a release only moves points between the member's available
 * and pending balances: `sign` 0, so the lines' signed points add up to the member's available plus pending.
 */
export type MemberHistoryItem = {
  id: string;
  type: TransactionType;
  points: number;
  sign: 1 | -1 | 0;
  description: string | null;
  createdAt: Date;
};

const credits: readonly TransactionType[] = ["earn", "bonus", "conversion_in", "transfer_in"];
const debits: readonly TransactionType[] = ["burn", "expiry", "conversion_out", "transfer_out"];

/**
 * The way a transaction moved the member's points. A reversal goes against its original (an earn's or a bonus's
 * takes points back; a burn's, a refunded order's included, gives them back); an adjustment as it was made.
 */
function signOf(row: TransactionRow & { debit: boolean }, originals: Map<string, TransactionType>): 1 | -1 | 0 {
  if (credits.includes(row.type)) return 1;
  if (debits.includes(row.type)) return -1;
  if (row.type === "adjustment") return row.debit ? -1 : 1;
  if (row.type === "reversal") return originals.get(row.originalTransactionId ?? "") === "burn" ? 1 : -1;
  return 0; // hold, release
}

/**
 * A page of the member's history, newest first, paged by cursor exactly as the API's list of a member's
 * transactions (`GET .../members/{external_id}/transactions`), with each line's points signed.
 */
export async function memberHistoryPage(deps: Pick<Deps, "db" | "reader">, memberId: string, query: PageQuery) {
  const page = await listMemberTransactionsPage(deps.db, memberId, query);
  const reversed = page.data.flatMap((row) =>
    row.type === "reversal" && row.originalTransactionId ? [row.originalTransactionId] : [],
  );
  const originals = await findTransactionTypes(deps.reader, [...new Set(reversed)]);
  const data: MemberHistoryItem[] = page.data.map((row) => ({
    id: row.id,
    type: row.type,
    points: row.points,
    sign: signOf(row, originals),
    description: row.description,
    createdAt: row.createdAt,
  }));
  return { data, hasMore: page.has_more };
}
