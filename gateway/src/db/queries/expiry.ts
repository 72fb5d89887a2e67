import { isNotNull } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { type ledgerTransactions, type members, programs } from "../schema";
import type { Statement } from "../writer";
import { assertStatement } from "./assertions";
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

/**
 * What may have changed in a program since a position: its lots that expire in (`lotsAfter`, `lotsUntil`] and its
 * journal rows after `rowsAfter`. Bound as ?1 to ?4 of `changedMembersSql`.
 */
export type ExpiryChanges = { programId: string; lotsAfter: Date; lotsUntil: Date; rowsAfter: number };

/**
 * The members of program ?1 a run must examine: those with a lot that expires in (?2, ?3] (by the program's expiry
 * index) and those with a journal row after rowid ?4 (a burn reversed, a hold released, a lot reversed or written
 * already due all write one), as a select for a `with` clause. The unary `+` keeps SQLite reading the rows after
 * ?4 by rowid rather than the program's every row by its index (45 ms a run on a program of 900,000 rows).
 */
export const changedMembersSql = `
  select member_id from ledger_transactions
  where program_id = ?1 and expires_at > ?2 and expires_at <= ?3 and type in ${lotTypes}
  union
  select member_id from ledger_transactions where rowid > ?4 and +program_id = ?1`;

export const changesArgs = (changes: ExpiryChanges) => [
  changes.programId,
  changes.lotsAfter.getTime(),
  changes.lotsUntil.getTime(),
  changes.rowsAfter,
];

/** Whether any member of the program changed since the position (`changedMembersSql`). */
export async function hasChangedMembers(reader: SqlReader, changes: ExpiryChanges): Promise<boolean> {
  const row = await first<{ changed: number }>(
    reader,
    `select exists (${changedMembersSql}) as changed`,
    changesArgs(changes),
  );
  return row?.changed === 1;
}

type DueRow = Pick<SqlRow<typeof ledgerTransactions>, "member_id"> &
  Pick<SqlRow<typeof members>, "external_id"> & { boundary: number; expire: number };

/**
 * For each member of the program that changed (`changedMembersSql`) with lots due by `changes.lotsUntil` (now): the
 * latest due lot's expiry (the boundary) and how many points must have expired by then: the credits due, minus
 * everything spent, minus what earlier runs expired. A member that did not change is as the last run left it.
 */
export async function findDueExpiries(reader: SqlReader, changes: ExpiryChanges) {
  const rows = await reader.all<DueRow>(
    `with changed as (${changedMembersSql})
     select t.member_id, m.external_id,
       max(case when t.type in ${lotTypes} and t.expires_at <= ?3 then t.expires_at end) as boundary,
       sum(case when t.type in ${lotTypes} and t.expires_at <= ?3 then t.points - t.reversed_points else 0 end)
         - sum(${consumedPointsSql("t")}) as expire
     from ledger_transactions t join members m on m.id = t.member_id
     where t.member_id in (select member_id from changed) and +t.program_id = ?1
     group by t.member_id
     having boundary is not null and expire > 0`,
    changesArgs(changes),
  );
  return rows.map((row) => ({
    memberId: row.member_id,
    externalId: row.external_id,
    boundary: new Date(row.boundary),
    points: row.expire,
  }));
}

/**
 * Refuses an expiry's write (as a stale write) if another run expired points of the member after journal row
 * `lastRowid`, which this run's read of the member may not have seen: two runs at different instants would
 * otherwise both expire the lots due by the earlier one (the unique boundary only stops runs that agree on it).
 */
export const noExpirySinceStatement = (memberId: string, lastRowid: number): Statement =>
  assertStatement(
    "not exists (select 1 from ledger_transactions where member_id = ? and type = 'expiry' and rowid > ?)",
    [memberId, lastRowid],
  );

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
