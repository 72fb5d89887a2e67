import { first, type SqlReader } from "../reader";
import type { ledgerTransactions, members } from "../schema";
import type { SqlValue } from "../writer";
import { type MomentCursor, momentCursorOf, pageByMoment, unknownCursor } from "./moment-pages";
import type { PageQuery } from "./pages";
import type { SqlRow } from "./rows";

/**
 * What a report's bar counts, in plain SQL, and the transactions behind it: the portal's charts of points earned
 * by channel and by store draw these sums, and a bar's drill-down lists the rows of the very same condition, so the
 * list's total is the bar. A reversal counts where what it reverses counted (its channel or store), negatively, in
 * the instant it was made, as the KPI report nets it.
 */

/** Which movements a bar counts. */
export type DrilldownMeasure = "earned" | "spent" | "promotion_bonus" | "active";

/** What the bars of a breakdown are: the channel, the store or the promotion of what they count. */
export type DrilldownDimension = "channel" | "store" | "promotion";

/**
 * Each measure's rows (`t` the transaction, `o` what it reverses, if anything) and their points, signed as they
 * count, as the KPI report's fold (domain/reports/fold.ts) and the promotions report count them: earns and burns
 * (catalogue redemptions are burns too) net of their reversals; a promotion's awards gross, as its budget counts
 * them (a reversal takes a bonus back from the member, not from the promotion's awards); and for active members the
 * members' own earns, burns, conversions and transfers (a bonus, an expiry, an adjustment or a reversal is not
 * something the member did).
 */
const measures: Record<DrilldownMeasure, { where: string; points: string }> = {
  earned: {
    where: "(t.type = 'earn' or (t.type = 'reversal' and o.type = 'earn'))",
    points: "case when t.type = 'reversal' then -t.points else t.points end",
  },
  spent: {
    where: "(t.type = 'burn' or (t.type = 'reversal' and o.type = 'burn'))",
    points: "case when t.type = 'reversal' then -t.points else t.points end",
  },
  promotion_bonus: { where: "t.type = 'bonus' and t.bonus_source = 'promotion'", points: "t.points" },
  active: {
    where: "t.type in ('earn', 'burn', 'conversion_out', 'conversion_in', 'transfer_out', 'transfer_in')",
    points: "t.points",
  },
};

/** A bar's key: a reversal's is that of what it reverses. */
const dimensions: Record<DrilldownDimension, string> = {
  channel: "case when t.type = 'reversal' then o.channel else t.channel end",
  store: "case when t.type = 'reversal' then o.store_id else t.store_id end",
  promotion: "case when t.type = 'reversal' then o.bonus_source_id else t.bonus_source_id end",
};

/**
 * The transactions one bar counts: a program's, made in `[since, until)`, of a measure, and if `dimension` is given
 * those whose key is `key` (null: not given, such as an earn without a channel).
 */
export type DrilldownSlice = {
  programId: string;
  measure: DrilldownMeasure;
  since: Date;
  until: Date;
  dimension?: { name: DrilldownDimension; key: string | null };
};

const from = `from ledger_transactions t
  left join ledger_transactions o on o.id = t.original_transaction_id`;

/** The slice's condition on `t` and `o`. The program's transactions by time come from (program_id, created_at). */
function sliceWhere(slice: DrilldownSlice): { sql: string; args: SqlValue[] } {
  const args: SqlValue[] = [slice.programId, slice.since.getTime(), slice.until.getTime()];
  let sql = `t.program_id = ? and t.created_at >= ? and t.created_at < ? and ${measures[slice.measure].where}`;
  if (slice.dimension) {
    const key = dimensions[slice.dimension.name];
    if (slice.dimension.key === null) sql += ` and ${key} is null`;
    else {
      sql += ` and ${key} = ?`;
      args.push(slice.dimension.key);
    }
  }
  return { sql, args };
}

/** A bar's figures: its points (signed, net), its transactions, and the distinct members they are of. */
export type SliceTotals = { points: number; transactions: number; members: number };

/** The totals of a slice: the bar it was drawn from, recounted from the same rows as its list. */
export async function sumSlice(reader: SqlReader, slice: DrilldownSlice): Promise<SliceTotals> {
  const where = sliceWhere(slice);
  const row = await first<{ points: number | null; transactions: number; members: number }>(
    reader,
    `select sum(${measures[slice.measure].points}) as points, count(*) as transactions,
            count(distinct t.member_id) as members
     ${from} where ${where.sql}`,
    where.args,
  );
  return { points: row?.points ?? 0, transactions: row?.transactions ?? 0, members: row?.members ?? 0 };
}

/** One bar of a breakdown: its key (null: not given) and its points. */
export type SliceBar = { key: string | null; points: number; transactions: number };

/**
 * A measure over `[since, until)` broken down by `dimension`, largest first (then by key, nulls last): one bar a
 * key with any transaction, even if its points net to zero. A promotion breakdown only has promotion bonuses.
 */
export async function sumSliceBars(
  reader: SqlReader,
  slice: Omit<DrilldownSlice, "dimension">,
  dimension: DrilldownDimension,
): Promise<SliceBar[]> {
  const where = sliceWhere(slice);
  return reader.all<SliceBar>(
    `select ${dimensions[dimension]} as key, sum(${measures[slice.measure].points}) as points,
            count(*) as transactions
     ${from} where ${where.sql}
     group by 1 order by 2 desc, 1 is null, 1`,
    where.args,
  );
}

/** A transaction behind a bar, with its member's external id and its points as the bar counts them. */
export type DrilldownRow = Pick<
  SqlRow<typeof ledgerTransactions>,
  "id" | "type" | "partner_id" | "points" | "reference" | "description" | "created_at"
> &
  Pick<SqlRow<typeof members>, "external_id"> & {
    counted_points: number;
    channel: string | null;
    store_id: string | null;
    promotion_id: string | null;
  };

/**
 * A page of the transactions behind a bar, newest first (by time, then id), continuing after or before a cursor
 * (a transaction id) as the API's lists do. A cursor that is no transaction of the program is refused (400).
 */
export async function listSliceTransactions(reader: SqlReader, slice: DrilldownSlice, query: PageQuery) {
  const cursor = momentCursorOf(query);
  const at = cursor ? await cursorMoment(reader, slice.programId, cursor) : undefined;
  const paging = pageByMoment(query, at === undefined || !cursor ? undefined : { ...cursor, at });
  const where = sliceWhere(slice);
  const after = paging.after("t.created_at", "t.id");
  const rows = await reader.all<DrilldownRow>(
    `select t.id, t.type, t.partner_id, t.points, t.reference, t.description, t.created_at, m.external_id,
            ${measures[slice.measure].points} as counted_points, ${dimensions.channel} as channel,
            ${dimensions.store} as store_id, ${dimensions.promotion} as promotion_id
     ${from} join members m on m.id = t.member_id
     where ${where.sql} and ${after.sql}
     order by ${paging.orderBy("t.created_at", "t.id")} limit ?`,
    [...where.args, ...after.args, paging.fetch],
  );
  return paging.page(rows);
}

/** The moment of the cursor's transaction, which must be the program's. */
async function cursorMoment(reader: SqlReader, programId: string, cursor: MomentCursor): Promise<number> {
  const row = await first<{ created_at: number }>(
    reader,
    "select created_at from ledger_transactions where id = ? and program_id = ?",
    [cursor.id, programId],
  );
  if (!row) throw unknownCursor(cursor, "a transaction of this program");
  return row.created_at;
}

/** The name of a program's promotion (undefined: none of its promotions), for its bar's drill-down. */
export async function findPromotionName(
  reader: SqlReader,
  programId: string,
  promotionId: string,
): Promise<string | undefined> {
  const row = await first<{ name: string }>(reader, "select name from promotions where id = ? and program_id = ?", [
    promotionId,
    programId,
  ]);
  return row?.name;
}
