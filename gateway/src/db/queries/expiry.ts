import { isNotNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { type ledgerTransactions, type members, programs } from "../schema";
import { adjustmentDebitSql } from "./ledger";
import type { SqlRow } from "./rows";

/**
 * The types whose rows are lots, counted net of their `reversed_points`: earns, conversions in, credit adjustments
 * (a debit adjustment has no `expires_at`, so lots need not tell the two apart), bonuses, which expire like
 * the earns that caused them, and transfers in (the points a member received, expiring from when it received them).
 */
export const lotTypes = "('earn', 'conversion_in', 'adjustment', 'bonus', 'transfer_in')";

/**
 * What consumes expiring lots, oldest first: burns net of their reversals, conversions and transfers out, points
 * held for review (given back when released; a held burn, conversion or transfer that completes does not count twice),
 * earlier expiries and debit adjustments. Credits (lots) are `lotTypes`. A reversal consumes nothing: it
 * shrinks the lot it reverses (an earn's, or a bonus's reversed with its earn) through that lot's
 * `reversed_points`, and gives back what a burn consumed through the burn's.
 * Shared by the expiry job, the member's `expiring` balance, the expiring-soon notices and the liability report, so
 * all count the same way. `reversed` is what was reversed of the row: its `reversed_points` now, or (as of a past
 * instant) the sum of its reversals made by then.
 */
export const consumedPointsSql = (t: string, reversed = `${t}.reversed_points`) => `
  case
    when ${t}.type = 'burn' then (case when ${t}.original_transaction_id is null then ${t}.points else 0 end) - ${reversed}
    when ${t}.type in ('conversion_out', 'transfer_out') and ${t}.original_transaction_id is null then ${t}.points
    when ${t}.type = 'hold' then ${t}.points
    when ${t}.type = 'release' then -${t}.points
    when ${t}.type = 'expiry' then ${t}.points
    when ${adjustmentDebitSql(t)} then ${t}.points
    else 0
  end`;

/** The types `consumedPointsSql` counts: a filter that lets SQLite read only these rows of a member. */
export const consumingTypes = "('burn', 'conversion_out', 'transfer_out', 'hold', 'release', 'expiry', 'adjustment')";

/** The programs whose points expire, with the partner that owns each. */
export async function listExpiringPrograms(db: Db) {
  return db
    .select({ id: programs.id, partnerId: programs.partnerId })
    .from(programs)
    .where(isNotNull(programs.pointsExpireAfterDays));
}

type DueRow = Pick<SqlRow<typeof ledgerTransactions>, "member_id"> &
  Pick<SqlRow<typeof members>, "external_id"> & { boundary: number; expire: number };

/**
 * For each member of a program with lots due by `now`: the latest due lot's expiry (the boundary) and how many
 * points must have expired by then: the credits due, minus everything spent, minus what earlier runs expired.
 */
export async function findDueExpiries(db: Db, programId: string, now: Date) {
  const at = now.getTime();
  const rows = await db.all<DueRow>(sql`
    select t.member_id, m.external_id,
      max(case when t.type in ${sql.raw(lotTypes)} and t.expires_at <= ${at} then t.expires_at end) as boundary,
      sum(case when t.type in ${sql.raw(lotTypes)} and t.expires_at <= ${at} then t.points - t.reversed_points else 0 end)
        - sum(${sql.raw(consumedPointsSql("t"))}) as expire
    from ledger_transactions t join members m on m.id = t.member_id
    where t.program_id = ${programId}
      and t.member_id in (select member_id from ledger_transactions
                          where program_id = ${programId} and type in ${sql.raw(lotTypes)} and expires_at <= ${at})
    group by t.member_id
    having expire > 0`);
  return rows.map((row) => ({
    memberId: row.member_id,
    externalId: row.external_id,
    boundary: new Date(row.boundary),
    points: row.expire,
  }));
}

/** A member's lots that can expire (`lotTypes`, net of reversals), in expiry order. */
export async function listExpiryLots(reader: SqlReader, memberId: string) {
  // `expires_at` is never null here: the query keeps only lots that expire.
  const rows = await reader.all<Pick<SqlRow<typeof ledgerTransactions>, "points"> & { expires_at: number }>(
    `select points - reversed_points as points, expires_at from ledger_transactions
     where member_id = ? and type in ${lotTypes} and expires_at is not null
     order by expires_at, id`,
    [memberId],
  );
  return rows.map((row) => ({ points: row.points, expiresAt: new Date(row.expires_at) }));
}

/** Everything that has consumed a member's lots so far (see `consumedPointsSql`). */
export async function sumConsumedPoints(reader: SqlReader, memberId: string): Promise<number> {
  const row = await first<{ points: number }>(
    reader,
    `select coalesce(sum(${consumedPointsSql("t")}), 0) as points from ledger_transactions t
     where t.member_id = ? and t.type in ${consumingTypes}`,
    [memberId],
  );
  return row?.points ?? 0;
}
