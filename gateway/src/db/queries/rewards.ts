import { and, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { rewards } from "../schema";
import { type ConstraintViolation, type SqlValue, type Statement, toStatement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";
import { refusalStatement } from "./refusals";
import { fromSqlRow, type SqlRow, selectList } from "./rows";

export type RewardRow = typeof rewards.$inferSelect;
/** What a reward is: voucher, product, service, experience, cashback, donation. */
export const rewardTypes = rewards.type.enumValues;
/** How an order is fulfilled: a voucher code handed out at once, or later by a partner or by hand. */
export const fulfilments = rewards.fulfilment.enumValues;

/** A reward row with its stock as orders see it: `stock`, or a `code` reward's available codes (null: unlimited). */
export type RewardWithStock = { reward: RewardRow; available: number | null };

/**
 * The available codes of a `code` reward (null for the others), as a column of a select over `rewards`. The columns
 * are named with their table: drizzle writes a lone table's columns unqualified, which the subquery would take
 * for its own.
 */
const codesAvailable = sql<number | null>`case when rewards.fulfilment = 'code'
  then (select count(*) from reward_codes c where c.reward_id = rewards.id and c.status = 'available') end`;

const withStock = (reward: RewardRow, codes: number | null): RewardWithStock => ({
  reward,
  available: reward.fulfilment === "code" ? (codes ?? 0) : reward.stock,
});

/**
 * A reward with its stock as orders see it: `stock` for units, the count of available codes for a `code` reward
 * (null: unlimited). One indexed read on the hot reader (orders read it before their write).
 */
export async function findRewardWithStock(reader: SqlReader, id: string): Promise<RewardWithStock | undefined> {
  const row = await first<SqlRow<typeof rewards> & { codes_available: number | null }>(
    reader,
    `select ${selectList(rewards, "r")},
       case when r.fulfilment = 'code'
         then (select count(*) from reward_codes c where c.reward_id = r.id and c.status = 'available') end
         as codes_available
     from rewards r where r.id = ?`,
    [id],
  );
  if (!row) return undefined;
  return withStock(fromSqlRow(rewards, row), row.codes_available);
}

export async function findRewardById(db: Db, id: string): Promise<RewardRow | undefined> {
  return db.select().from(rewards).where(eq(rewards.id, id)).get();
}

/**
 * What a catalogue list is narrowed by: `tier` keeps the rewards that tier may redeem (no tiers, or it among them);
 * `redeemableBy` those a member may order at a moment (within their dates, for the member's tier, with stock left).
 */
export type RewardFilters = {
  active?: boolean;
  type?: RewardRow["type"];
  tier?: string;
  redeemableBy?: { memberId: string; at: Date };
};

/**
 * The rewards `memberId` may order at `at`, for a list to show them; the order's own write decides again
 * (redemptions.ts `eligibleStatement`, the stock's CHECK and the codes' count).
 */
const redeemableBy = ({ memberId, at }: { memberId: string; at: Date }) =>
  sql`(rewards.available_from is null or rewards.available_from <= ${at.getTime()})
    and (rewards.available_until is null or rewards.available_until > ${at.getTime()})
    and (rewards.tiers is null or exists (select 1 from members m, json_each(rewards.tiers) t
         where m.id = ${memberId} and t.value = m.tier_key))
    and (rewards.stock is null or rewards.stock > 0) and coalesce(${codesAvailable}, 1) > 0`;

/** A page of a program's rewards with their stock, newest first. */
export async function listRewardsPage(db: Db, programId: string, filters: RewardFilters, query: PageQuery) {
  const page = pageBy(rewards.id, query);
  const conditions: (SQL | undefined)[] = [eq(rewards.programId, programId), page.where];
  if (filters.active !== undefined) conditions.push(eq(rewards.active, filters.active));
  if (filters.type !== undefined) conditions.push(eq(rewards.type, filters.type));
  if (filters.tier !== undefined)
    conditions.push(
      sql`(${rewards.tiers} is null or exists (select 1 from json_each(${rewards.tiers}) t where t.value = ${filters.tier}))`,
    );
  if (filters.redeemableBy !== undefined) conditions.push(redeemableBy(filters.redeemableBy));
  const rows = await db
    .select({ ...getTableColumns(rewards), codesAvailable })
    .from(rewards)
    .where(both(...conditions))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  const found = page.page(rows);
  return { ...found, data: found.data.map(({ codesAvailable: codes, ...reward }) => withStock(reward, codes)) };
}

/**
 * The rewards of a program with any of `skus`, by sku. The skus go as one JSON argument, so the 5,000 of an
 * import fit one statement on D1 (100 arguments at most).
 */
export async function findRewardsBySku(
  reader: SqlReader,
  programId: string,
  skus: readonly string[],
): Promise<Map<string, RewardRow>> {
  if (skus.length === 0) return new Map();
  const rows = await reader.all<SqlRow<typeof rewards>>(
    `select ${selectList(rewards, "r")} from rewards r
     where r.program_id = ? and r.sku in (select value from json_each(?))`,
    [programId, JSON.stringify(skus)],
  );
  return new Map(rows.map((row) => [row.sku, fromSqlRow(rewards, row)]));
}

export const insertRewardStatement = (db: Db, reward: RewardRow): Statement =>
  toStatement(db.insert(rewards).values(reward));

/** Changes the given columns of a reward of `programId` (nothing when it is in another program). */
export const updateRewardStatement = (
  db: Db,
  programId: string,
  id: string,
  changes: Partial<Omit<RewardRow, "id" | "programId" | "createdAt">>,
): Statement =>
  toStatement(
    db
      .update(rewards)
      .set(changes)
      .where(and(eq(rewards.id, id), eq(rewards.programId, programId))),
  );

/** Whether a write was refused because a program already has a reward with the sku (the `rewards_program_sku` index). */
export const isSkuTaken = (violation: ConstraintViolation): boolean =>
  violation.kind === "unique" && violation.constraint === "rewards.program_id, rewards.sku";

/** The columns an import writes (every column of `rewards`), by key and SQL name, in the order of its JSON rows. */
const importColumns = Object.entries(getTableColumns(rewards)).map(([key, column]) => ({
  key: key as keyof RewardRow,
  name: column.name,
}));

/** A row as the values of its JSON array: timestamps in milliseconds and booleans as 0 or 1, as they are stored. */
const rowValues = (row: RewardRow): SqlValue[] =>
  importColumns.map(({ key }) => {
    const value = row[key];
    return value instanceof Date ? value.getTime() : typeof value === "boolean" ? Number(value) : value;
  });

/** The value at `index` of a JSON row of `json_each` (SQL null for JSON null). */
const at = (index: number) => `json_extract(j.value, '$[${index}]')`;
const column = (name: string) => at(importColumns.findIndex((column) => column.name === name));

/**
 * The most characters of JSON one statement of a bulk write binds: D1 takes up to 100 arguments per statement,
 * so rows go as one JSON argument each statement, and a value there may be up to 2 MB (a character is up to 4 bytes).
 */
const jsonCharactersPerStatement = 400_000;

/** `items` as JSON arrays of at most `jsonCharactersPerStatement` characters each (an item never split). */
export function jsonChunks(items: readonly unknown[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    if (current.length > 0 && size + json.length + 1 > jsonCharactersPerStatement) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(",")}]`);
  return chunks;
}

/**
 * The statements of a catalogue import, for one atomic write: `created` rows inserted, `updated` rows (matched by id,
 * in `programId`) rewritten whole but for their stock, which changes only where `stockGiven` (orders move it
 * meanwhile). A sku another write took first fails the `rewards_program_sku` index (`isSkuTaken`). The updates look
 * each row up by id (the unary + keeps SQLite from scanning the program's rewards for every JSON row instead: 5,000
 * rows took 39 s that way).
 */
export function importRewardsStatements(
  programId: string,
  created: readonly RewardRow[],
  updated: readonly { row: RewardRow; stockGiven: boolean }[],
): Statement[] {
  const names = importColumns.map((column) => column.name);
  const inserts = jsonChunks(created.map(rowValues)).map((json) => ({
    sql: `insert into rewards (${names.join(", ")}) select ${names.map(column).join(", ")} from json_each(?) j`,
    args: [json],
  }));
  const given = importColumns.length;
  const rewritten = names.filter((name) => !["id", "program_id", "stock", "created_at"].includes(name));
  const updates = jsonChunks(updated.map(({ row, stockGiven }) => [...rowValues(row), stockGiven ? 1 : 0])).map(
    (json) => ({
      sql: `update rewards set ${rewritten.map((name) => `${name} = ${column(name)}`).join(", ")},
              stock = case when ${at(given)} = 1 then ${column("stock")} else rewards.stock end
            from json_each(?) j
            where rewards.id = ${column("id")} and +rewards.program_id = ?`,
      args: [json, programId],
    }),
  );
  return [...inserts, ...updates];
}

/**
 * Refuses the write (`invalid_state`) when it changes the reward's `fulfilment` while orders of it are held or
 * pending: their steps (approve, fulfil, cancel) go by the reward's fulfilment, codes and stock. Runs before the
 * update, in the same write, so an order placed meanwhile is seen.
 */
export const fulfilmentKeptWhileOrdersOpen = (rewardId: string, fulfilment: RewardRow["fulfilment"]): Statement =>
  refusalStatement(
    "invalid_state",
    `not exists (select 1 from rewards r where r.id = ? and r.fulfilment <> ?
       and exists (select 1 from redemptions d where d.reward_id = r.id and d.status in ('held', 'pending')))`,
    [rewardId, fulfilment],
  );
