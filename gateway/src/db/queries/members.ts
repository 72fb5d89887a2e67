import { eq, inArray, like, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { members } from "../schema";
import type { SqlValue, Statement } from "../writer";
import type { JsonPatch } from "./json-patch";
import { both, type PageQuery, pageBy } from "./pages";
import type { SqlRow } from "./rows";

type Member = typeof members.$inferSelect;

/**
 * The member's row, in the program's entry tier if it has tiers (read by the write itself, so a tier table
 * changed meanwhile cannot leave it in a tier that no longer exists); its accounts and events go in the same
 * atomic write.
 */
export const insertMemberStatement = (member: Member): Statement => ({
  sql: `insert into members (id, program_id, external_id, email, name, locale, enrolled_by, lifetime_earned,
          attributes, birth_date, referred_by_member_id, created_at, updated_at, tier_key, tier_since)
        select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, entry.key, case when entry.key is not null then ?12 end
        from (select 1) left join program_tiers entry on entry.program_id = ?2 and entry.position = 0`,
  args: [
    member.id,
    member.programId,
    member.externalId,
    member.email,
    member.name,
    member.locale,
    member.enrolledBy,
    member.lifetimeEarned,
    member.attributes,
    member.birthDate,
    member.referredByMemberId,
    member.createdAt.getTime(),
    member.updatedAt?.getTime() ?? null,
  ],
});

/** The id of the member of `programId` with `externalId`, if there is one. */
export async function findMemberId(reader: SqlReader, programId: string, externalId: string) {
  const row = await first<Pick<SqlRow<typeof members>, "id">>(
    reader,
    "select id from members where program_id = ? and external_id = ?",
    [programId, externalId],
  );
  return row?.id;
}

/** The id of the member of `programId` with `externalId` and when it was erased (null: it was not), if there is one. */
export async function findMemberErasure(reader: SqlReader, programId: string, externalId: string) {
  const row = await first<Pick<SqlRow<typeof members>, "id" | "erased_at">>(
    reader,
    "select id, erased_at from members where program_id = ? and external_id = ?",
    [programId, externalId],
  );
  return row && { id: row.id, erasedAt: row.erased_at === null ? null : new Date(row.erased_at) };
}

/** The external ids of members by id (a referrer's, say); ids not found are left out. */
export async function findExternalIds(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: members.id, externalId: members.externalId })
    .from(members)
    .where(inArray(members.id, [...ids]));
  return new Map(rows.map((row) => [row.id, row.externalId]));
}

/** What a profile update writes; `attributesPatch` is an RFC 7396 merge patch (a key set to null is removed). */
export type MemberProfileChanges = Partial<Pick<Member, "email" | "name" | "locale" | "birthDate">> & {
  attributesPatch?: string;
};

/** The SQLite error `json()` raises on text that is not JSON, used to abort a write whose merge went too far. */
export const tooManyAttributesError = /malformed JSON/i;

/**
 * The profile update of one member, answering its attributes as merged. The merge happens in the write, so two
 * updates of different keys never lose one another; should the result exceed `maxAttributes` keys (a concurrent
 * update added some since the caller checked), `json()` of a non-JSON text aborts the whole atomic write with an
 * error matching `tooManyAttributesError`.
 */
export function updateMemberProfileStatement(
  memberId: string,
  changes: MemberProfileChanges,
  at: Date,
  maxAttributes: number,
): Statement {
  const sets: string[] = [];
  const args: SqlValue[] = [];
  const columns = { email: "email", name: "name", locale: "locale", birthDate: "birth_date" } as const;
  for (const [key, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
    const value = changes[key];
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    args.push(value);
  }
  if (changes.attributesPatch !== undefined) {
    sets.push(`attributes = case when (select count(*) from json_each(json_patch(attributes, ?))) <= ?
                 then json_patch(attributes, ?) else json('too many attributes') end`);
    args.push(changes.attributesPatch, maxAttributes, changes.attributesPatch);
  }
  sets.push("updated_at = ?");
  args.push(at.getTime(), memberId);
  return { sql: `update members set ${sets.join(", ")} where id = ? returning attributes`, args };
}

/** A JSON patch (an event's data, say) putting the member's attributes as the same atomic write left them at `path`. */
export const writtenAttributes = (path: string, memberId: string): JsonPatch => ({
  path,
  sql: "json((select attributes from members where id = ?))",
  args: [memberId],
});

/** `LIKE` text matching `text` literally: `\`, `%` and `_` escaped (with `escape '\'`). */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const likeEscaped = (column: SQLiteColumn, pattern: string): SQL => sql`${like(column, pattern)} escape '\\'`;

/**
 * A page of a program's members, newest first. `q` matches the start of `external_id`, or any part of `email`
 * or `name`; `LIKE` ignores ASCII case, and each spelling in `spellings` (the query's lower, upper and title
 * case) is tried so names in other alphabets match regardless of case too.
 */
export async function listMembersPage(
  db: Db,
  programId: string,
  query: PageQuery & { spellings?: readonly string[]; tier?: string },
): Promise<{ object: "list"; data: Member[]; has_more: boolean }> {
  const page = pageBy(members.id, query);
  const matches = query.spellings?.flatMap((spelling) => {
    const text = literal(spelling);
    return [
      likeEscaped(members.externalId, `${text}%`),
      likeEscaped(members.email, `%${text}%`),
      likeEscaped(members.name, `%${text}%`),
    ];
  });
  const rows = await db
    .select()
    .from(members)
    .where(
      both(
        eq(members.programId, programId),
        query.tier === undefined ? undefined : eq(members.tierKey, query.tier),
        matches && or(...matches),
        page.where,
      ),
    )
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

/** Keeps `lifetime_earned` with the movements: earns add to it, reversals of earns take back. */
export const addToLifetimeEarned = (memberId: string, points: number): Statement => ({
  sql: "update members set lifetime_earned = lifetime_earned + ? where id = ?",
  args: [points, memberId],
});
