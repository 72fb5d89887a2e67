import type { SqlReader } from "../reader";
import type { Grain } from "./report-rollups";

/** What the KPI report counts besides the roll-ups' figures: members enrolled, and distinct active members. */

/**
 * Members enrolled in a program in each window `[since, until)` (ms), by key: one range of the (program_id,
 * created_at) index per window.
 */
export async function countNewMembers(
  reader: SqlReader,
  programId: string,
  windows: readonly { key: string; since: number; until: number }[],
): Promise<Map<string, number>> {
  const rows = await reader.all<{ key: string; members: number }>(
    `select json_extract(j.value, '$[0]') as key,
            (select count(*) from members m
             where m.program_id = ? and m.created_at >= json_extract(j.value, '$[1]')
               and m.created_at < json_extract(j.value, '$[2]')) as members
     from json_each(?) j`,
    [programId, JSON.stringify(windows.map((window) => [window.key, window.since, window.until]))],
  );
  return new Map(rows.map((row) => [row.key, row.members]));
}

/** A roll-up bucket whose active members count toward `key`. */
export type ActiveSource = { key: string; grain: Grain; bucket: string };

/**
 * Distinct active members per key: a key counts the members of the roll-ups' buckets `sources` names for it
 * (`grain` and `bucket`, say the month 2026-03-01, or days at a range's edge) together with the `extra` members
 * (those active in journal rows the roll-ups do not hold yet), each member once per key. A key of one bucket and
 * no extra members is counted on the index alone (a bucket holds a member once); only the others need the members
 * gathered and told apart, and there the cross join keeps the sources outside, so each is one range of the index
 * (SQLite would otherwise scan all of the program's keys). One statement, so every count reads the same moment.
 */
export async function countActiveMembers(
  reader: SqlReader,
  programId: string,
  sources: readonly ActiveSource[],
  extra: readonly { key: string; memberId: string }[],
): Promise<Map<string, number>> {
  const perKey = new Map<string, number>();
  for (const { key } of [...sources, ...extra]) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  const extraKeys = new Set(extra.map((member) => member.key));
  const single = (source: ActiveSource) => perKey.get(source.key) === 1 && !extraKeys.has(source.key);
  const asJson = (list: readonly ActiveSource[]) =>
    JSON.stringify(list.map((source) => [source.key, source.grain, source.bucket]));
  const field = (i: number) => `json_extract(j.value, '$[${i}]')`;
  const rows = await reader.all<{ key: string; members: number }>(
    `select ${field(0)} as key,
            (select count(*) from report_active_members a
             where a.program_id = ?1 and a.grain = ${field(1)} and a.bucket = ${field(2)}) as members
     from json_each(?2) j
     union all
     select key, count(distinct member_id) from (
       select s.key, a.member_id
       from (select ${field(0)} as key, ${field(1)} as grain, ${field(2)} as bucket from json_each(?3) j) s
       cross join report_active_members a on a.program_id = ?1 and a.grain = s.grain and a.bucket = s.bucket
       union all
       select ${field(0)}, ${field(1)} from json_each(?4) j
     ) group by key`,
    [
      programId,
      asJson(sources.filter(single)),
      asJson(sources.filter((source) => !single(source))),
      JSON.stringify(extra.map((member) => [member.key, member.memberId])),
    ],
  );
  return new Map(rows.map((row) => [row.key, row.members]));
}
