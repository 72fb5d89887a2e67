import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../client";
import type { SqlReader } from "../reader";
import { agreements, memberSessions, members, memberTierChanges, promotionMembers, promotions } from "../schema";
import type { Row, SqlValue, Statement } from "../writer";
import { refusalStatement } from "./refusals";
import type { SqlRow } from "./rows";

/** The member whose personal data an erase blanks, and since when events and stored answers may carry it. */
export type ErasedMember = { id: string; programId: string; externalId: string; createdAt: Date };

/**
 * Refuses the whole write (`invalid_state`) when the member was erased by the time it runs: an erase that commits
 * between an earn's read and its write must not let points in after it, nor an update write personal data back.
 * Erasure is final, so a refusal here is read back by `findErasureStatement`.
 */
export const notErasedStatement = (memberId: string): Statement =>
  refusalStatement("invalid_state", "not exists (select 1 from members where id = ? and erased_at is not null)", [
    memberId,
  ]);

type ErasureRow = Pick<SqlRow<typeof members>, "external_id" | "program_id" | "erased_at">;

/**
 * Reads which of these members is erased, if any: run through the writer after a write refused itself, since only
 * the writer is at hand where movements are committed (a refused write is rare, so the extra round trip is too).
 */
export const findErasureStatement = (memberIds: readonly string[]): Statement => ({
  sql: `select external_id, program_id, erased_at from members
        where id in (${memberIds.map(() => "?").join(", ")}) and erased_at is not null limit 1`,
  args: [...memberIds],
});

/** The erased member a `findErasureStatement` found, with what its refusal names; undefined while none is. */
export function erasureOf(rows: readonly Row[] | undefined) {
  const row = rows?.[0] as ErasureRow | undefined;
  return row && { externalId: row.external_id, programId: row.program_id, erasedAt: new Date(Number(row.erased_at)) };
}

/**
 * The personal fields of a member object stored under `at` (a JSON path), blanked as an erased member reads: its
 * cards too, since the erase unlinks them (replaced only where the copy has them, never added).
 */
const blankedProfile = (column: string, at: string) =>
  `json_replace(json_set(${column}, '${at}.email', null, '${at}.name', null, '${at}.locale', null,
            '${at}.birth_date', null, '${at}.attributes', json('{}')), '${at}.cards', json('[]'))`;

/** A JSON value of `column` at `path`, or null when the column holds no JSON (a stored answer may not). */
const jsonAt = (column: string, path: string) =>
  `case when json_valid(${column}) then json_extract(${column}, '${path}') end`;

/**
 * The statements of an erase but its event and idempotency record, in the order they run: the member row blanked
 * and marked erased; touchpoint notes and redemption delivery addresses removed; cards unlinked and hosted page
 * sessions closed; and the copies of its profile or addresses that stored events (`member.enrolled`,
 * `member.updated`, `redemption.*`) and stored idempotent answers (enrolment, orders, review decisions on orders,
 * touchpoints and their notes) carry, blanked alike; stored card links are deleted. Nothing of the ledger is touched. Events and answers about a
 * member are never older than it, so their scans start at its creation.
 */
export function eraseMemberStatements(member: ErasedMember, at: Date): Statement[] {
  const since = member.createdAt.getTime();
  const inEvents = (which: string, payload: string, args: SqlValue[]): Statement => ({
    sql: `update events set payload = ${payload} where created_at >= ? and ${which}`,
    args: [since, ...args],
  });
  return [
    {
      sql: `update members set email = null, name = null, locale = null, birth_date = null, attributes = '{}',
              erased_at = ?, updated_at = ?
            where id = ?`,
      args: [at.getTime(), at.getTime(), member.id],
    },
    { sql: "update touchpoints set note = null where member_id = ? and note is not null", args: [member.id] },
    { sql: "update redemptions set delivery = null where member_id = ? and delivery is not null", args: [member.id] },
    { sql: "delete from member_cards where member_id = ?", args: [member.id] },
    {
      sql: "delete from member_sessions where program_id = ? and external_id = ?",
      args: [member.programId, member.externalId],
    },
    inEvents(
      "type = 'member.enrolled' and json_extract(payload, '$.data.id') = ?",
      blankedProfile("payload", "$.data"),
      [member.id],
    ),
    inEvents(
      "type = 'member.updated' and json_extract(payload, '$.data.member.id') = ?",
      blankedProfile("payload", "$.data.member"),
      [member.id],
    ),
    inEvents(
      "type like 'redemption.%' and json_extract(payload, '$.data.member_id') = ?",
      "json_set(payload, '$.data.delivery', null)",
      [member.id],
    ),
    {
      sql: `update idempotency_keys set response_body = ${blankedProfile("response_body", "$")}
            where created_at >= ? and ${jsonAt("response_body", "$.id")} = ?`,
      args: [since, member.id],
    },
    {
      sql: `update idempotency_keys set response_body = json_set(response_body, '$.delivery', null)
            where created_at >= ? and ${jsonAt("response_body", "$.member_id")} = ?
              and ${jsonAt("response_body", "$.delivery")} is not null`,
      args: [since, member.id],
    },
    {
      sql: `update idempotency_keys set response_body = json_set(response_body, '$.note', null)
            where created_at >= ? and ${jsonAt("response_body", "$.member_id")} = ?
              and substr(${jsonAt("response_body", "$.id")}, 1, 4) = 'tpt_'
              and ${jsonAt("response_body", "$.note")} is not null`,
      args: [since, member.id],
    },
    // A card link's stored answer is the card itself: it is forgotten, and a replay meets the erasure instead.
    {
      sql: `delete from idempotency_keys
            where created_at >= ? and ${jsonAt("response_body", "$.program_id")} = ?
              and ${jsonAt("response_body", "$.external_id")} = ? and ${jsonAt("response_body", "$.number")} is not null`,
      args: [since, member.programId, member.externalId],
    },
    {
      sql: `update idempotency_keys set response_body = json_set(response_body, '$.redemption.delivery', null)
            where created_at >= ? and ${jsonAt("response_body", "$.redemption.member_id")} = ?
              and ${jsonAt("response_body", "$.redemption.delivery")} is not null`,
      args: [since, member.id],
    },
  ];
}

/** The partners told of an erase: the program's owner and every partner with an agreement in it, each once. */
export async function findProgramPartners(db: Db, programId: string, ownerId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ partnerId: agreements.partnerId })
    .from(agreements)
    .where(eq(agreements.programId, programId));
  return [...new Set([ownerId, ...rows.map((row) => row.partnerId)])];
}

/** A member's tier changes, newest first. */
export const listTierChanges = (db: Db, memberId: string) =>
  db
    .select()
    .from(memberTierChanges)
    .where(eq(memberTierChanges.memberId, memberId))
    .orderBy(desc(memberTierChanges.at), desc(memberTierChanges.id));

/** The promotions a member was exposed to (treatment or control), with their names and what they paid it. */
export const listPromotionExposures = (db: Db, memberId: string) =>
  db
    .select({ exposure: promotionMembers, name: promotions.name })
    .from(promotionMembers)
    .innerJoin(promotions, eq(promotions.id, promotionMembers.promotionId))
    .where(eq(promotionMembers.memberId, memberId))
    .orderBy(desc(promotionMembers.exposedAt), desc(promotionMembers.promotionId));

/** The members a member referred, newest first. */
export const listReferredMembers = (db: Db, memberId: string) =>
  db
    .select({ externalId: members.externalId, createdAt: members.createdAt })
    .from(members)
    .where(eq(members.referredByMemberId, memberId))
    .orderBy(desc(members.createdAt), desc(members.id));

/** When a member's hosted page sessions were opened and until when (never their tokens), newest first. */
export const listMemberSessionTimes = (db: Db, programId: string, externalId: string) =>
  db
    .select({ createdAt: memberSessions.createdAt, expiresAt: memberSessions.expiresAt })
    .from(memberSessions)
    .where(and(eq(memberSessions.programId, programId), eq(memberSessions.externalId, externalId)))
    .orderBy(desc(memberSessions.createdAt));

type EventRow = { id: string; type: string; created_at: number };

/**
 * The events sent to `partnerId` that concern a member, newest first: those whose data names it by its program and
 * external id (transactions, orders, tiers, activities, transfers on either side, erasure), by its member object
 * (enrolment, updates) or as a side of a conversion.
 */
export async function listMemberEvents(reader: SqlReader, partnerId: string, member: ErasedMember) {
  const { programId: p, externalId: x } = member;
  const rows = await reader.all<EventRow>(
    `select id, type, created_at from events
     where partner_id = ? and created_at >= ? and (
       (json_extract(payload, '$.data.program_id') = ?
         and ? in (json_extract(payload, '$.data.external_id'), json_extract(payload, '$.data.from_external_id'),
                   json_extract(payload, '$.data.to_external_id')))
       or (json_extract(payload, '$.data.member.program_id') = ? and json_extract(payload, '$.data.member.external_id') = ?)
       or (json_extract(payload, '$.data.from_program_id') = ? and json_extract(payload, '$.data.from_external_id') = ?)
       or (json_extract(payload, '$.data.to_program_id') = ? and json_extract(payload, '$.data.to_external_id') = ?))
     order by created_at desc, id desc`,
    [partnerId, member.createdAt.getTime(), p, x, p, x, p, x, p, x],
  );
  return rows.map((row) => ({ id: row.id, type: row.type, createdAt: new Date(row.created_at) }));
}
