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
 * no extra members is counted on the index alone (a bucket holds a member once), all such keys in one statement;
 * each other key (a range's total, a clipped week or month) gathers its members and tells them apart in one of its
 * own, the cross join keeping the sources outside so each is one range of the index (SQLite would otherwise scan
 * all of the program's keys).
 */
export async function countActiveMembers(
  reader: SqlReader,
  programId: string,
  sources: readonly ActiveSource[],
  extra: readonly { key: string; memberId: string }[],
): Promise<Map<string, number>> {
  const perKey = new Map<string, { sources: ActiveSource[]; extra: string[] }>();
  const of = (key: string) => {
    const entry = perKey.get(key) ?? { sources: [], extra: [] };
    perKey.set(key, entry);
    return entry;
  };
  for (const source of sources) of(source.key).sources.push(source);
  for (const member of extra) of(member.key).extra.push(member.memberId);
  const field = (i: number) => `json_extract(j.value, '$[${i}]')`;
  const asJson = (list: readonly ActiveSource[]) =>
    JSON.stringify(list.map((source) => [source.key, source.grain, source.bucket]));
  const entries = [...perKey];
  const singles = entries.flatMap(([, entry]) =>
    entry.sources.length === 1 && entry.extra.length === 0 ? entry.sources : [],
  );
  const counted = await Promise.all([
    reader.all<{ key: string; members: number }>(
      `select ${field(0)} as key,
              (select count(*) from report_active_members a
               where a.program_id = ? and a.grain = ${field(1)} and a.bucket = ${field(2)}) as members
       from json_each(?) j`,
      [programId, asJson(singles)],
    ),
    ...entries
      .filter(([, entry]) => entry.sources.length !== 1 || entry.extra.length > 0)
      .map(async ([key, entry]) => {
        const [row] = await reader.all<{ members: number }>(
          `select count(distinct member_id) as members from (
             select a.member_id from json_each(?) j
             cross join report_active_members a
               on a.program_id = ? and a.grain = ${field(1)} and a.bucket = ${field(2)}
             union all
             select j.value from json_each(?) j
           )`,
          [asJson(entry.sources), programId, JSON.stringify(entry.extra)],
        );
        return [{ key, members: row?.members ?? 0 }];
      }),
  ]);
  return new Map(counted.flat().map((row) => [row.key, row.members]));
}
