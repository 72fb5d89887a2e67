import type { SqlReader } from "../reader";
import type { ledgerTransactions, members } from "../schema";
import type { Statement } from "../writer";
import {
  changedMembersSql,
  changesArgs,
  consumedPointsSql,
  consumingTypes,
  type ExpiryChanges,
  lotTypes,
} from "./expiry";
import { fanOutEventsStatement } from "./outbox";
import type { SqlRow } from "./rows";

type LotRow = { transaction_id: string; expires_at: number } & Pick<
  SqlRow<typeof ledgerTransactions>,
  "member_id" | "points"
> &
  Pick<SqlRow<typeof members>, "external_id">;

/**
 * The lots of a program that expire in (`now`, `changes.lotsUntil`], still hold points and have had no notice, with
 * what is left of each, for members not erased, among the members that changed since the last run
 * (`changedMembersSql`: a lot of theirs came within the window, or they have a new journal row; the others are as
 * that run left them). What is left counts as the expiry job and the member's `expiring` balance do
 * (db/queries/expiry.ts): everything a member ever consumed is taken from its lots in expiry order (FIFO), so a lot
 * keeps min(its points, the lots' running total through it - consumed), when that is above zero. One query per
 * program, whatever its size: the changed members with a lot due for a notice, then their lots and consumption,
 * each summed once.
 */
export async function findLotsToNotice(
  reader: SqlReader,
  changes: ExpiryChanges,
  now: Date,
): Promise<{ transactionId: string; memberId: string; externalId: string; points: number; expiresAt: Date }[]> {
  const rows = await reader.all<LotRow>(
    `with changed as (${changedMembersSql}),
     due as (
       select distinct t.member_id from ledger_transactions t
       where t.member_id in (select member_id from changed) and t.type in ${lotTypes}
         and t.expires_at > ?5 and t.expires_at <= ?3
         and not exists (select 1 from expiry_notices n where n.transaction_id = t.id)
     ),
     lots as (
       select t.id, t.member_id, t.expires_at, t.points - t.reversed_points as points,
         sum(t.points - t.reversed_points) over (partition by t.member_id order by t.expires_at, t.id) as through
       from ledger_transactions t
       where t.member_id in (select member_id from due) and t.type in ${lotTypes} and t.expires_at is not null
     ),
     consumed as (
       select t.member_id, sum(${consumedPointsSql("t")}) as points from ledger_transactions t
       where t.member_id in (select member_id from due) and t.type in ${consumingTypes}
       group by t.member_id
     ),
     remaining as (
       select l.id, l.member_id, l.expires_at, min(l.points, l.through - coalesce(c.points, 0)) as points
       from lots l left join consumed c on c.member_id = l.member_id
       where l.expires_at > ?5 and l.expires_at <= ?3
     )
     select l.id as transaction_id, l.member_id, m.external_id, l.points, l.expires_at
     from remaining l join members m on m.id = l.member_id
     where l.points > 0 and m.erased_at is null
       and not exists (select 1 from expiry_notices n where n.transaction_id = l.id)
     order by l.id`,
    [...changesArgs(changes), now.getTime()],
  );
  return rows.map((row) => ({
    transactionId: row.transaction_id,
    memberId: row.member_id,
    externalId: row.external_id,
    points: row.points,
    expiresAt: new Date(row.expires_at),
  }));
}

/** One lot's notice as the write takes it: the lot, what is left of it, and its event (id and whole body). */
export type LotNotice = {
  transactionId: string;
  memberId: string;
  points: number;
  expiresAt: Date;
  eventId: string;
  eventBody: string;
};

/**
 * One atomic write noticing lots of a program: each lot's `points.expiring_soon` event (to `partnerId`) with its
 * deliveries, and its `expiry_notices` row. A lot that has a notice by the time the write runs (another run's,
 * committed first) gets neither: the event is written only while the lot has no notice, and the notice only for
 * the events written; the notice's key refuses the whole write should a second notice ever slip through. The last
 * statement answers how many lots, and points, this write noticed.
 */
export function noticeLotsStatements(input: {
  programId: string;
  partnerId: string;
  at: Date;
  notices: readonly LotNotice[];
}): Statement[] {
  const at = input.at.getTime();
  const notices = JSON.stringify(
    input.notices.map((notice) => ({
      transaction_id: notice.transactionId,
      member_id: notice.memberId,
      points: notice.points,
      expires_at: notice.expiresAt.getTime(),
      event_id: notice.eventId,
      event_body: notice.eventBody,
    })),
  );
  const eventIds = JSON.stringify(input.notices.map((notice) => notice.eventId));
  const field = (name: string) => `json_extract(j.value, '$.${name}')`;
  const written = `exists (select 1 from events e where e.id = ${field("event_id")})`;
  return [
    {
      sql: `insert into events (id, partner_id, type, payload, created_at, fanned_out_at)
            select ${field("event_id")}, ?, 'points.expiring_soon', ${field("event_body")}, ?, ?
            from json_each(?) j
            where not exists (select 1 from expiry_notices n where n.transaction_id = ${field("transaction_id")})`,
      args: [input.partnerId, at, at, notices],
    },
    {
      sql: `insert into expiry_notices (transaction_id, program_id, member_id, points, expires_at, noticed_at)
            select ${field("transaction_id")}, ?, ${field("member_id")}, ${field("points")}, ${field("expires_at")}, ?
            from json_each(?) j where ${written}`,
      args: [input.programId, at, notices],
    },
    fanOutEventsStatement(eventIds),
    {
      sql: `select count(*) as notices, coalesce(sum(${field("points")}), 0) as points
            from json_each(?) j where ${written}`,
      args: [notices],
    },
  ];
}
