import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { members, segments } from "../schema";
import type { SqlValue, Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";
import { fromSqlRow, type SqlRow, selectList } from "./rows";

type Segment = typeof segments.$inferSelect;
type Member = typeof members.$inferSelect;

/** A compiled rule (segment-rules.ts) over the member row `m`. */
export type MemberCondition = { sql: string; args: SqlValue[] };

/** Members of a static list, as a condition over `m`. */
export const listedIn = (segmentId: string): MemberCondition => ({
  // `in` rather than a correlated `exists`: the list drives the look-ups instead of every member of the program.
  sql: "m.id in (select sm.member_id from segment_members sm where sm.segment_id = ?)",
  args: [segmentId],
});

/**
 * Members of a static list, as a condition over `m` for one member: a look-up of its row in the list, where the
 * `in` form above would gather the whole list for each member asked about.
 */
export const listsMember = (segmentId: string): MemberCondition => ({
  sql: "exists (select 1 from segment_members sm where sm.segment_id = ? and sm.member_id = m.id)",
  args: [segmentId],
});

export const insertSegmentStatement = (segment: Segment): Statement => ({
  sql: `insert into segments (id, program_id, name, description, type, rule, member_count, counted_at, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    segment.id,
    segment.programId,
    segment.name,
    segment.description,
    segment.type,
    segment.rule,
    segment.memberCount,
    segment.countedAt?.getTime() ?? null,
    segment.createdAt.getTime(),
    segment.updatedAt.getTime(),
  ],
});

export const updateSegmentStatement = (
  id: string,
  changes: Pick<Segment, "name" | "description" | "rule" | "updatedAt">,
): Statement => ({
  sql: "update segments set name = ?, description = ?, rule = ?, updated_at = ? where id = ?",
  args: [changes.name, changes.description, changes.rule, changes.updatedAt.getTime(), id],
});

/** Deletes a segment and who is in it. */
export const deleteSegmentStatements = (id: string): Statement[] => [
  { sql: "delete from segment_members where segment_id = ?", args: [id] },
  { sql: "delete from segments where id = ?", args: [id] },
];

/** A program's segments as rules and promotion audiences read them: id, type and rule (JSON), on the hot reader. */
export async function findSegmentRules(reader: SqlReader, programId: string) {
  return reader.all<Pick<SqlRow<typeof segments>, "id" | "type" | "rule">>(
    "select id, type, rule from segments where program_id = ?",
    [programId],
  );
}

export async function findSegmentById(db: Db, id: string): Promise<Segment | undefined> {
  return db.select().from(segments).where(eq(segments.id, id)).get();
}

/** Every segment of a program, oldest first (a program has tens, not thousands). */
export async function listProgramSegments(db: Db, programId: string): Promise<Segment[]> {
  return db.select().from(segments).where(eq(segments.programId, programId)).orderBy(segments.id);
}

/** A page of a program's segments, newest first. */
export async function listSegmentsPage(db: Db, programId: string, query: PageQuery) {
  const page = pageBy(segments.id, query);
  const rows = await db
    .select()
    .from(segments)
    .where(both(eq(segments.programId, programId), page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

/** How many members of the program meet the condition, now. */
export async function countMembers(reader: SqlReader, programId: string, where: MemberCondition): Promise<number> {
  const row = await first<{ n: number }>(
    reader,
    `select count(*) as n from members m where m.program_id = ? and ${where.sql}`,
    [programId, ...where.args],
  );
  return row?.n ?? 0;
}

/** The members meeting the condition, newest first; the first `limit` if given. */
export async function listMembersWhere(reader: SqlReader, programId: string, where: MemberCondition, limit?: number) {
  const rows = await reader.all<SqlRow<typeof members>>(
    `select ${selectList(members, "m")} from members m where m.program_id = ? and ${where.sql}
     order by m.id desc ${limit === undefined ? "" : "limit ?"}`,
    [programId, ...where.args, ...(limit === undefined ? [] : [limit])],
  );
  return rows.map((row) => fromSqlRow(members, row));
}

/** A page of the members meeting the condition, newest first, with `starting_after` / `ending_before` cursors. */
export async function listMembersWherePage(
  reader: SqlReader,
  programId: string,
  where: MemberCondition,
  query: PageQuery,
): Promise<{ object: "list"; data: Member[]; has_more: boolean }> {
  const backwards = query.ending_before !== undefined;
  const cursor = query.starting_after ?? query.ending_before;
  const rows = await reader.all<SqlRow<typeof members>>(
    `select ${selectList(members, "m")} from members m
     where m.program_id = ? and ${where.sql} ${cursor === undefined ? "" : `and m.id ${backwards ? ">" : "<"} ?`}
     order by m.id ${backwards ? "asc" : "desc"} limit ?`,
    [programId, ...where.args, ...(cursor === undefined ? [] : [cursor]), query.limit + 1],
  );
  const data = rows.slice(0, query.limit).map((row) => fromSqlRow(members, row));
  return { object: "list", data: backwards ? data.reverse() : data, has_more: rows.length > query.limit };
}

/**
 * Brings a dynamic segment's rows up to its rule as it is now (members who left removed, members who joined
 * added with `joined_at`), and its count with them: one atomic write.
 */
export function recountStatements(segment: Pick<Segment, "id" | "programId">, where: MemberCondition, now: Date) {
  const matching = `select m.id from members m where m.program_id = ? and ${where.sql}`;
  return [
    {
      sql: `delete from segment_members where segment_id = ? and member_id not in (${matching})`,
      args: [segment.id, segment.programId, ...where.args],
    },
    {
      sql: `insert into segment_members (segment_id, member_id, joined_at)
            select ?, m.id, ? from members m where m.program_id = ? and ${where.sql}
            on conflict do nothing`,
      args: [segment.id, now.getTime(), segment.programId, ...where.args],
    },
    countStatement(segment.id, now),
  ] satisfies Statement[];
}

/** Sets a segment's `member_count` from its rows, as of `now`. */
const countStatement = (segmentId: string, now: Date): Statement => ({
  sql: `update segments set member_count = (select count(*) from segment_members where segment_id = ?1), counted_at = ?2
        where id = ?1`,
  args: [segmentId, now.getTime()],
});

/**
 * The values of `columns` (expressions over the member row `m`) for one member, in order: in as few queries as D1
 * allows (at most 50 columns and about 90 KB of SQL each). Undefined values when the member does not exist.
 */
export async function memberColumns(
  reader: SqlReader,
  memberId: string,
  columns: readonly MemberCondition[],
): Promise<unknown[]> {
  const chunks: MemberCondition[][] = [];
  let length = 0;
  for (const column of columns) {
    const last = chunks.at(-1);
    if (!last || last.length >= 50 || length + column.sql.length > 90_000) {
      chunks.push([column]);
      length = column.sql.length;
    } else {
      last.push(column);
      length += column.sql.length;
    }
  }
  const answers = await Promise.all(
    chunks.map(async (chunk) => {
      const row = await first<Record<string, unknown>>(
        reader,
        `select ${chunk.map((column, i) => `${column.sql} as c${i}`).join(", ")} from members m where m.id = ?`,
        [...chunk.flatMap((column) => column.args), memberId],
      );
      return chunk.map((_, i) => row?.[`c${i}`]);
    }),
  );
  return answers.flat();
}

/** Which of `conditions` (compiled rules) one member meets now. */
export async function memberMeets(
  reader: SqlReader,
  memberId: string,
  conditions: readonly MemberCondition[],
): Promise<boolean[]> {
  return (await memberColumns(reader, memberId, conditions)).map(Boolean);
}

/** The static lists (and dynamic segments, as last counted) that hold a member. */
export async function findMemberListIds(reader: SqlReader, memberId: string): Promise<Set<string>> {
  const rows = await reader.all<{ segment_id: string }>("select segment_id from segment_members where member_id = ?", [
    memberId,
  ]);
  return new Set(rows.map((row) => row.segment_id));
}

/** The members of a program with these external ids (those not found are left out), by external id. */
export async function findMembersByExternalIds(reader: SqlReader, programId: string, externalIds: readonly string[]) {
  // One JSON argument for the ids: D1 binds at most 100 arguments to a statement.
  const rows = await reader.all<{ id: string; external_id: string }>(
    "select id, external_id from members where program_id = ? and external_id in (select value from json_each(?))",
    [programId, JSON.stringify(externalIds)],
  );
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

/**
 * Adds members to a static list in one atomic write (those already in it stay as they were) and recounts it;
 * the last statement answers how many were new. The ids go as one JSON argument, so 10,000 fit one statement.
 */
export function addListMembersStatements(segmentId: string, memberIds: readonly string[], now: Date): Statement[] {
  return [
    { sql: "select count(*) as before from segment_members where segment_id = ?", args: [segmentId] },
    {
      sql: `insert into segment_members (segment_id, member_id, joined_at)
            select ?, j.value, ? from json_each(?) j where true on conflict do nothing`,
      args: [segmentId, now.getTime(), JSON.stringify(memberIds)],
    },
    countStatement(segmentId, now),
    { sql: "select member_count as after from segments where id = ?", args: [segmentId] },
  ];
}

/** Takes a member off a static list and recounts it; the first statement answers whether it was on it. */
export const removeListMemberStatements = (segmentId: string, memberId: string, now: Date): Statement[] => [
  {
    sql: "delete from segment_members where segment_id = ? and member_id = ? returning member_id",
    args: [segmentId, memberId],
  },
  countStatement(segmentId, now),
];

/** Dynamic segments last counted before `before` (or never): the daily recount's work list. */
export async function listSegmentsDueRecount(db: Db, before: Date): Promise<Segment[]> {
  return db
    .select()
    .from(segments)
    .where(and(eq(segments.type, "dynamic"), or(isNull(segments.countedAt), lt(segments.countedAt, before))))
    .orderBy(segments.id);
}
