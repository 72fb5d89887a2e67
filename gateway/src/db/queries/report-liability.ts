import { first, type SqlReader } from "../reader";
import { consumedPointsSql, lotTypes } from "./expiry";
import { adjustmentDebitSql } from "./ledger";

/**
 * What the liability report reads, as of a past instant: only journal rows created by then count, and what was
 * reversed of a row is the sum of its reversals made by then (never `reversed_points`, which also counts later ones).
 */

/** The points a program's members held at an instant, and their expiring lots by bucket. */
export type HeldAsOf = {
  /** Points members held, available and pending. */
  outstanding: number;
  /** Points still to expire after `at` by bucket, one more than `bounds`: `points[i]` expire by `bounds[i]` (after the
   * bound before), the last after the last bound. */
  expiring: number[];
  /** When the last lot expiring after the last bound and still holding points expires; null when none does. */
  lastExpiry: Date | null;
};

/**
 * What was reversed of row `t` by `?2`: its reversals made by then. `reversed_points` only grows, so a row with none
 * was never reversed and needs no look-up (nearly every row).
 */
const reversedAsOfSql = (t: string) =>
  `(case when ${t}.reversed_points = 0 then 0 else (select coalesce(sum(r.points), 0) from ledger_transactions r
     where r.original_transaction_id = ${t}.id and r.type = 'reversal' and r.created_at <= ?2) end)`;

/** What row `t` did to the points its member held (available and pending), `reversed` being what was reversed of it. */
const heldChangeSql = (t: string, reversed: string) => `
  case
    when ${t}.type in ('earn', 'bonus', 'conversion_in', 'transfer_in') then ${t}.points - ${reversed}
    when ${t}.type = 'burn' then ${reversed} - ${t}.points
    when ${t}.type in ('conversion_out', 'transfer_out', 'expiry') then -${t}.points
    when ${t}.type = 'adjustment' then (case when ${adjustmentDebitSql(t)} then -${t}.points else ${t}.points end)
    else 0
  end`;

/**
 * In one pass over a program's journal written by `at` (`?2`): what its members held then, and what of it their
 * expiring lots still held, FIFO as the expiry job, the member's `expiring` balance and the expiring-soon notices
 * count (db/queries/expiry.ts): everything a member consumed by then is taken from its lots in expiry order. Lots are
 * summed per member and bucket of `bounds` (ascending), and a bucket keeps what the consumption leaves of it: with `u`
 * its member's lots through it less the consumption, u clamped to 0..its points, which is what its lots keep one by
 * one. A reversal counts through the row it reverses, and only if made by `at`. A lot already due at `at` that
 * the job had not expired yet is in the first bucket: it expires at the job's next run.
 */
export async function findHeldAsOf(
  reader: SqlReader,
  programId: string,
  at: Date,
  bounds: readonly Date[],
): Promise<HeldAsOf> {
  const lot = `t.type in ${lotTypes} and t.expires_at is not null`;
  const bucket = `case ${bounds.map((_, i) => `when t.expires_at <= ?${i + 3} then ${i}`).join(" ")} else ${bounds.length} end`;
  const rows = await reader.all<{ bucket: number | null; held: number; points: number; last: number | null }>(
    `with journal as (
       select t.id, t.type, t.member_id, t.points, t.original_transaction_id, t.expires_at,
         ${reversedAsOfSql("t")} as reversed
       from ledger_transactions t
       where t.program_id = ?1 and t.created_at <= ?2 and t.type <> 'reversal'
     ),
     buckets as (
       select t.member_id, case when ${lot} then ${bucket} end as bucket,
         sum(case when ${lot} then t.points - t.reversed else 0 end) as points,
         sum(${heldChangeSql("t", "t.reversed")}) as held,
         sum(${consumedPointsSql("t", "t.reversed")}) as consumed,
         max(case when ${lot} and t.points > t.reversed then t.expires_at end) as last
       from journal t group by t.member_id, 2
     ),
     uncovered as (
       select bucket, held, points, last,
         sum(points) over (partition by member_id order by bucket) - sum(consumed) over (partition by member_id) as u
       from buckets
     )
     select bucket, sum(held) as held, sum(max(0, min(u, points))) as points,
       max(case when u > 0 and points > 0 then last end) as last
     from uncovered group by bucket`,
    [programId, at.getTime(), ...bounds.map((bound) => bound.getTime())],
  );
  const expiring = Array.from({ length: bounds.length + 1 }, () => 0);
  let outstanding = 0;
  let lastExpiry: Date | null = null;
  for (const row of rows) {
    outstanding += row.held;
    if (row.bucket === null) continue;
    expiring[row.bucket] = row.points;
    if (row.bucket === bounds.length && row.last !== null) lastExpiry = new Date(row.last);
  }
  return { outstanding, expiring, lastExpiry };
}

/**
 * A program's points expired and issued in (`since`, `until`]: expiries, and earns and bonuses net of the reversals
 * made in the window (a reversal counts when it was made, as the KPI report nets it).
 */
export async function sumExpiredAndIssued(
  reader: SqlReader,
  programId: string,
  window: { since: Date; until: Date },
): Promise<{ expired: number; issued: number }> {
  const row = await first<{ expired: number | null; issued: number | null }>(
    reader,
    `select sum(case when t.type = 'expiry' then t.points else 0 end) as expired,
            sum(case when t.type in ('earn', 'bonus') then t.points
                     when t.type = 'reversal' and o.type in ('earn', 'bonus') then -t.points else 0 end) as issued
     from ledger_transactions t left join ledger_transactions o on o.id = t.original_transaction_id
     where t.program_id = ? and t.created_at > ? and t.created_at <= ?`,
    [programId, window.since.getTime(), window.until.getTime()],
  );
  return { expired: row?.expired ?? 0, issued: row?.issued ?? 0 };
}
