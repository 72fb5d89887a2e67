import { first, type SqlReader } from "../reader";
import { touchpoints } from "../schema";
import type { SqlValue, Statement } from "../writer";
import { type MomentCursor, momentCursorOf, pageByMoment, unknownCursor } from "./moment-pages";
import type { PageQuery } from "./pages";
import { fromSqlRow, type SqlRow, selectList } from "./rows";

export type TouchpointRow = typeof touchpoints.$inferSelect;

/** The values each enumerated field takes, as the table names them (the API's enums are these). */
export const touchpointChannels = touchpoints.channel.enumValues;
export const touchpointReasons = touchpoints.reason.enumValues;
export const touchpointDirections = touchpoints.direction.enumValues;

/** Records a touchpoint; the table's CHECK `touchpoints_rating` keeps a rating within 1..5 whatever the caller. */
export const insertTouchpointStatement = (t: TouchpointRow): Statement => ({
  sql: `insert into touchpoints (id, program_id, member_id, channel, reason, direction, note, rating, agent,
          recorded_by, occurred_at, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    t.id,
    t.programId,
    t.memberId,
    t.channel,
    t.reason,
    t.direction,
    t.note,
    t.rating,
    t.agent,
    t.recordedBy,
    t.occurredAt.getTime(),
    t.createdAt.getTime(),
  ],
});

/** What a member's touchpoints may be narrowed to: equal values, and `occurred_at` in [from, to). */
export type TouchpointFilter = Partial<Pick<TouchpointRow, "channel" | "reason" | "direction">> & {
  from?: Date;
  to?: Date;
};

/** The moment of a cursor that must be one of the member's touchpoints (else 400 naming the parameter). */
async function cursorMoment(reader: SqlReader, memberId: string, cursor: MomentCursor | undefined) {
  if (!cursor) return undefined;
  const row = await first<Pick<SqlRow<typeof touchpoints>, "occurred_at">>(
    reader,
    "select occurred_at from touchpoints where id = ? and member_id = ?",
    [cursor.id, memberId],
  );
  if (!row) throw unknownCursor(cursor, "a touchpoint of this member");
  return { ...cursor, at: row.occurred_at };
}

/**
 * A page of a member's touchpoints, newest first by `occurred_at` (then id), narrowed by `filter`; the index
 * `touchpoints_member` (member_id, occurred_at, id) serves both the order and the cursor.
 */
export async function listMemberTouchpointsPage(
  reader: SqlReader,
  memberId: string,
  filter: TouchpointFilter,
  query: PageQuery,
) {
  const page = pageByMoment(query, await cursorMoment(reader, memberId, momentCursorOf(query)));
  const conditions: [string, SqlValue | undefined][] = [
    ["t.channel = ?", filter.channel],
    ["t.reason = ?", filter.reason],
    ["t.direction = ?", filter.direction],
    ["t.occurred_at >= ?", filter.from?.getTime()],
    ["t.occurred_at <= ?", filter.to?.getTime()],
  ];
  const given = conditions.filter(([, value]) => value !== undefined);
  const after = page.after("t.occurred_at", "t.id");
  const rows = await reader.all<SqlRow<typeof touchpoints>>(
    `select ${selectList(touchpoints, "t")} from touchpoints t
     where t.member_id = ? ${given.map(([condition]) => `and ${condition}`).join(" ")} and ${after.sql}
     order by ${page.orderBy("t.occurred_at", "t.id")} limit ?`,
    [memberId, ...given.map(([, value]) => value as SqlValue), ...after.args, page.fetch],
  );
  return page.page(rows.map((row) => fromSqlRow(touchpoints, row)));
}
