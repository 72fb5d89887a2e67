import { getTableColumns, type Table } from "drizzle-orm";
import type { SqlReader } from "../reader";
import {
  ledgerTransactions,
  memberTierChanges,
  redemptions,
  type rewards,
  type segments,
  touchpoints,
} from "../schema";
import type { SqlValue } from "../writer";
import { adjustmentDebitSql } from "./ledger";
import { type MomentCursor, momentCursorOf, pageByMoment, unknownCursor } from "./moment-pages";
import type { PageQuery } from "./pages";
import { fromSqlRow, type SqlRow } from "./rows";

/** The kinds of record a member's activity merges. */
export const activityKinds = ["transaction", "redemption", "tier_change", "segment_join", "touchpoint"] as const;
export type ActivityKind = (typeof activityKinds)[number];

/** One item of a member's activity: its id (the record's; a segment join's is the segment's), kind, moment, record. */
export type ActivityRecord = { id: string; at: Date } & (
  | { kind: "transaction"; transaction: typeof ledgerTransactions.$inferSelect & { debit: boolean } }
  | {
      kind: "redemption";
      redemption: typeof redemptions.$inferSelect;
      reward: Pick<typeof rewards.$inferSelect, "name" | "type" | "fulfilment">;
      codes: string[];
    }
  | { kind: "tier_change"; change: typeof memberTierChanges.$inferSelect }
  | { kind: "segment_join"; segment: Pick<typeof segments.$inferSelect, "id" | "name" | "type"> }
  | { kind: "touchpoint"; touchpoint: typeof touchpoints.$inferSelect }
);

/** `json_object('id', t.id, ...)` of every column of a table, so one query can answer rows of several tables. */
const jsonColumns = (table: Table, alias: string) =>
  Object.values(getTableColumns(table))
    .map((column) => `'${column.name}', ${alias}.${column.name}`)
    .join(", ");

/**
 * Where each kind lives: its rows of a member (`from`, `member`), its id and moment columns, and the JSON of one
 * record by id (`record`, correlated to the page's `page.id`), built only for the items of the page.
 */
const sources: Record<ActivityKind, { from: string; id: string; at: string; member: string; record: string }> = {
  transaction: {
    from: "ledger_transactions t",
    id: "t.id",
    at: "t.created_at",
    member: "t.member_id",
    record: `select json_object(${jsonColumns(ledgerTransactions, "t")}, 'debit', ${adjustmentDebitSql("t")})
             from ledger_transactions t where t.id = page.id`,
  },
  redemption: {
    from: "redemptions d",
    id: "d.id",
    at: "d.created_at",
    member: "d.member_id",
    // Codes only of a `code` reward's order, oldest first, as the redemption's own reads give them.
    record: `select json_object(${jsonColumns(redemptions, "d")}, 'reward_name', r.name, 'reward_type', r.type,
               'reward_fulfilment', r.fulfilment, 'codes', case when r.fulfilment = 'code'
                 then json((select json_group_array(code) from
                   (select code from reward_codes where redemption_id = d.id order by id)))
                 else json('[]') end)
             from redemptions d join rewards r on r.id = d.reward_id where d.id = page.id`,
  },
  tier_change: {
    from: "member_tier_changes c",
    id: "c.id",
    at: "c.at",
    member: "c.member_id",
    record: `select json_object(${jsonColumns(memberTierChanges, "c")}) from member_tier_changes c where c.id = page.id`,
  },
  segment_join: {
    from: "segment_members s",
    id: "s.segment_id",
    at: "s.joined_at",
    member: "s.member_id",
    record: "select json_object('id', g.id, 'name', g.name, 'type', g.type) from segments g where g.id = page.id",
  },
  touchpoint: {
    from: "touchpoints p",
    id: "p.id",
    at: "p.occurred_at",
    member: "p.member_id",
    record: `select json_object(${jsonColumns(touchpoints, "p")}) from touchpoints p where p.id = page.id`,
  },
};

/** The moment of a cursor that must be an item of the member's activity of `kinds` (else 400 naming the parameter). */
async function cursorMoment(
  reader: SqlReader,
  memberId: string,
  kinds: readonly ActivityKind[],
  cursor: MomentCursor | undefined,
) {
  if (!cursor) return undefined;
  const lookups = kinds.map((kind) => sources[kind]);
  const [row] = await reader.all<{ at: number }>(
    lookups.map((s) => `select ${s.at} as at from ${s.from} where ${s.id} = ? and ${s.member} = ?`).join(" union all "),
    lookups.flatMap(() => [cursor.id, memberId]),
  );
  if (!row) throw unknownCursor(cursor, "an item of this member's activity");
  return { ...cursor, at: row.at };
}

type PageRow = { kind: ActivityKind; id: string; at: number; record: string };

/**
 * A page of a member's activity of `kinds`, newest first by moment then id, in one query: each kind's rows of the
 * member are cut to a page's worth in its own order (its member index), the kinds are merged and cut again, and
 * only then is each item's record read, by id. Ids are unique across kinds (their prefixes differ), so the order is
 * total and a page that ends among equal moments continues exactly after its last item. `visible` are the kinds the
 * caller may see at all: a cursor must be one of those.
 */
export async function listMemberActivityPage(
  reader: SqlReader,
  memberId: string,
  kinds: readonly ActivityKind[],
  visible: readonly ActivityKind[],
  query: PageQuery,
) {
  const page = pageByMoment(query, await cursorMoment(reader, memberId, visible, momentCursorOf(query)));
  if (kinds.length === 0) return page.page<ActivityRecord>([]);
  const args: SqlValue[] = [];
  const branches = kinds.map((kind) => {
    const s = sources[kind];
    const after = page.after(s.at, s.id);
    args.push(memberId, ...after.args, page.fetch);
    return `select * from (select '${kind}' as kind, ${s.id} as id, ${s.at} as at from ${s.from}
              where ${s.member} = ? and ${after.sql} order by ${page.orderBy(s.at, s.id)} limit ?)`;
  });
  const records = kinds.map((kind) => `when '${kind}' then (${sources[kind].record})`).join(" ");
  const rows = await reader.all<PageRow>(
    `with page as (select kind, id, at from (${branches.join(" union all ")}) order by ${page.orderBy("at", "id")} limit ?)
     select page.kind, page.id, page.at, case page.kind ${records} end as record
     from page order by ${page.orderBy("page.at", "page.id")}`,
    [...args, page.fetch],
  );
  return page.page(rows.map(toActivityRecord));
}

function toActivityRecord(row: PageRow): ActivityRecord {
  const item = { id: row.id, at: new Date(row.at) };
  const record = JSON.parse(row.record);
  switch (row.kind) {
    case "transaction":
      return {
        ...item,
        kind: row.kind,
        transaction: { ...fromSqlRow(ledgerTransactions, record), debit: record.debit === 1 },
      };
    case "redemption":
      return {
        ...item,
        kind: row.kind,
        redemption: fromSqlRow(redemptions, record),
        reward: { name: record.reward_name, type: record.reward_type, fulfilment: record.reward_fulfilment },
        codes: record.codes,
      };
    case "tier_change":
      return { ...item, kind: row.kind, change: fromSqlRow(memberTierChanges, record) };
    case "segment_join":
      return { ...item, kind: row.kind, segment: record as Pick<SqlRow<typeof segments>, "id" | "name" | "type"> };
    case "touchpoint":
      return { ...item, kind: row.kind, touchpoint: fromSqlRow(touchpoints, record) };
  }
}
