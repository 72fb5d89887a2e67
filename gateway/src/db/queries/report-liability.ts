import { first, type SqlReader } from "../reader";
import { consumedPointsSql, consumingTypes, lotTypes } from "./expiry";

/**
 * What the liability report reads, as of a past instant: only journal rows created by then count, and what was
 * reversed of a row is the sum of its reversals made by then (never `reversed_points`, which also counts later ones).
 */

/** The points a program's members held at `at`, available and pending: their accounts' legs written by then. */
export async function sumPointsHeldAsOf(reader: SqlReader, programId: string, at: Date): Promise<number> {
  const row = await first<{ points: number | null }>(
    reader,
    `select sum(e.amount) as points from accounts a join ledger_entries e on e.account_id = a.id
     where a.program_id = ? and a.kind in ('member', 'member_hold') and e.created_at <= ?`,
    [programId, at.getTime()],
  );
  return row?.points ?? 0;
}

/** Points still to expire after `at`, by bucket: `points[i]` expire by `bounds[i]` (and after the bound before). */
export type ExpiringAsOf = {
  /** One more than `bounds`: the last holds the points expiring after the last bound. */
  points: number[];
  /** When the last lot still holding points expires; null when none does. */
  lastExpiry: Date | null;
};

/**
 * The points each member's expiring lots still held at `at`, FIFO as the expiry job, the member's `expiring`
 * balance and the expiring-soon notices count them (db/queries/expiry.ts): everything consumed by then is taken
 * from the lots in expiry order, so a lot keeps min(its points, the lots' running total through it - consumed).
 * A lot already due at `at` that the job had not expired yet counts in the first bucket: it expires at its next
 * run. Summed by bucket of `bounds` (ascending) in one query over the program's journal.
 */
export async function sumExpiringAsOf(
  reader: SqlReader,
  programId: string,
  at: Date,
  bounds: readonly Date[],
): Promise<ExpiringAsOf> {
  const bucket = `case ${bounds.map((_, i) => `when expires_at <= ?${i + 3} then ${i}`).join(" ")} else ${bounds.length} end`;
  const rows = await reader.all<{ bucket: number; points: number; last: number }>(
    `with reversed as (
       select r.original_transaction_id as id, sum(r.points) as points from ledger_transactions r
       where r.program_id = ?1 and r.type = 'reversal' and r.created_at <= ?2
       group by r.original_transaction_id
     ),
     lots as (
       select t.member_id, t.expires_at, t.points - coalesce(v.points, 0) as points,
         sum(t.points - coalesce(v.points, 0)) over (partition by t.member_id order by t.expires_at, t.id) as through
       from ledger_transactions t left join reversed v on v.id = t.id
       where t.program_id = ?1 and t.type in ${lotTypes} and t.expires_at is not null and t.created_at <= ?2
     ),
     consumed as (
       select t.member_id, sum(${consumedPointsSql("t", "coalesce(v.points, 0)")}) as points
       from ledger_transactions t left join reversed v on v.id = t.id
       where t.program_id = ?1 and t.type in ${consumingTypes} and t.created_at <= ?2
       group by t.member_id
     ),
     remaining as (
       select l.expires_at, min(l.points, l.through - coalesce(c.points, 0)) as points
       from lots l left join consumed c on c.member_id = l.member_id
     )
     select ${bucket} as bucket, sum(points) as points, max(expires_at) as last
     from remaining where points > 0 group by 1`,
    [programId, at.getTime(), ...bounds.map((bound) => bound.getTime())],
  );
  const points = Array.from({ length: bounds.length + 1 }, () => 0);
  let last: number | null = null;
  for (const row of rows) {
    points[row.bucket] = row.points;
    last = Math.max(last ?? 0, row.last);
  }
  return { points, lastExpiry: last === null ? null : new Date(last) };
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
