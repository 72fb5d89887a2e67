import type { SqlReader } from "../reader";
import { memberRfm, type programRfm } from "../schema";
import type { Statement } from "../writer";
import { projection, type RowOf, type SqlRow } from "./rows";

/**
 * Scores a program's members by RFM as of `now`, set-based, and replaces the program's last scoring, as one
 * atomic write: its `member_rfm` rows (a member no longer scored loses its row) and its `program_rfm` row.
 *
 * Scored: members with at least one earn (type `earn`, never bonuses, conversions or transfers) made after
 * `since` (and by `now`) that is not fully reversed. Over those earns: recency = whole days since the last one,
 * floor((now - created_at) / 86,400,000); frequency = how many; monetary = spend: a purchase earn's
 * `purchase_amount_minor`, else the earn's points, each net of its reversals in proportion and rounded down
 * (amount * (points - reversed_points) / points), as tiers count spend. Purchase amounts are all in the program's
 * settlement currency (earn refuses any other), so spend is never summed across currencies.
 *
 * Each score is 1 + floor(5 * b / n), n the members scored and b those whose value is strictly worse (more
 * days; fewer earns; less spend): `rank() - 1` over the values ordered worst first, so equal values score
 * equally. The segment is `grid[r - 1][f - 1]`. The last statement answers how many members were scored.
 */
export function scoreProgramStatements(input: {
  programId: string;
  now: Date;
  since: Date;
  windowDays: number;
  grid: readonly (readonly string[])[];
}): Statement[] {
  const { programId } = input;
  const now = input.now.getTime();
  return [
    { sql: "delete from member_rfm where program_id = ?", args: [programId] },
    {
      sql: `insert into member_rfm (member_id, program_id, r, f, m, recency_days, frequency, monetary, segment, computed_at)
            with activity as (
              select t.member_id,
                (cast(?2 as integer) - max(t.created_at)) / 86400000 as recency_days,
                count(*) as frequency,
                sum(case when t.purchase_amount_minor is null then t.points - t.reversed_points
                  when t.reversed_points = 0 then t.purchase_amount_minor
                  else t.purchase_amount_minor * (t.points - t.reversed_points) / t.points end) as monetary
              from ledger_transactions t
              where t.program_id = ?1 and t.type = 'earn' and t.created_at > ?3 and t.created_at <= ?2
                and t.reversed_points < t.points
              group by t.member_id
            ),
            scored as (
              select a.*,
                1 + 5 * (rank() over (order by a.recency_days desc) - 1) / count(*) over () as r,
                1 + 5 * (rank() over (order by a.frequency) - 1) / count(*) over () as f,
                1 + 5 * (rank() over (order by a.monetary) - 1) / count(*) over () as m
              from activity a
            )
            select s.member_id, ?1, s.r, s.f, s.m, s.recency_days, s.frequency, s.monetary,
              json_extract(?4, printf('$[%d][%d]', s.r - 1, s.f - 1)), ?2
            from scored s`,
      args: [programId, now, input.since.getTime(), JSON.stringify(input.grid)],
    },
    {
      sql: `insert into program_rfm (program_id, window_days, members_scored, computed_at)
            values (?1, ?2, (select count(*) from member_rfm where program_id = ?1), ?3)
            on conflict (program_id) do update set window_days = excluded.window_days,
              members_scored = excluded.members_scored, computed_at = excluded.computed_at
            returning members_scored`,
      args: [programId, input.windowDays, now],
    },
  ];
}

/** The programs never scored, or last scored at `before` or earlier: the daily scoring's work list. */
export async function listProgramsDueForRfm(reader: SqlReader, before: Date): Promise<string[]> {
  const rows = await reader.all<{ id: string }>(
    `select p.id from programs p left join program_rfm r on r.program_id = p.id
     where r.computed_at is null or r.computed_at <= ? order by p.id`,
    [before.getTime()],
  );
  return rows.map((row) => row.id);
}

type ProgramRfmRow = Pick<SqlRow<typeof programRfm>, "window_days" | "members_scored" | "computed_at">;
type CellRow = { r: number | null; f: number | null; segment: string | null; members: number | null };

/**
 * A program's last scoring and its members per grid cell (R, F and the cell's segment), in one read so the
 * counts are those of that scoring; undefined if the program was never scored.
 */
export async function findProgramRfm(reader: SqlReader, programId: string) {
  const rows = await reader.all<ProgramRfmRow & CellRow>(
    `select p.window_days, p.members_scored, p.computed_at, c.r, c.f, c.segment, c.members
     from program_rfm p left join (
       select r, f, segment, count(*) as members from member_rfm where program_id = ?1 group by r, f, segment
     ) c on true
     where p.program_id = ?1`,
    [programId],
  );
  const first = rows[0];
  if (!first) return undefined;
  return {
    windowDays: first.window_days,
    membersScored: first.members_scored,
    computedAt: new Date(first.computed_at),
    cells: rows.flatMap((row) =>
      row.r === null || row.f === null || row.segment === null
        ? []
        : [{ r: row.r, f: row.f, segment: row.segment, members: row.members ?? 0 }],
    ),
  };
}

/** The columns of a member's scores the member object shows. */
const scores = projection(memberRfm, { omit: ["programId", "recencyDays", "frequency", "monetary"] });

/** The scores of each of `memberIds` that has them, by member id. */
export async function findMemberRfms(reader: SqlReader, memberIds: readonly string[]) {
  if (memberIds.length === 0) return new Map<string, ReturnType<typeof scores.map>>();
  const rows = await reader.all<RowOf<typeof scores>>(
    `select ${scores.select("r")} from member_rfm r where r.member_id in (${memberIds.map(() => "?").join(", ")})`,
    [...memberIds],
  );
  return new Map(rows.map((row) => [row.member_id, scores.map(row)]));
}
