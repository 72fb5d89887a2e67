import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { rewards } from "../schema";
import { fromSqlRow, type SqlRow, selectList } from "./rows";

export type RewardRow = typeof rewards.$inferSelect;

/**
 * A reward with its stock as orders see it: `stock` for units, the count of available codes for a `code` reward
 * (null: unlimited). One indexed read on the hot reader (orders read it before their write).
 */
export async function findRewardWithStock(
  reader: SqlReader,
  id: string,
): Promise<{ reward: RewardRow; available: number | null } | undefined> {
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
  const reward = fromSqlRow(rewards, row);
  return { reward, available: reward.fulfilment === "code" ? (row.codes_available ?? 0) : reward.stock };
}

export async function findRewardById(db: Db, id: string): Promise<RewardRow | undefined> {
  return db.select().from(rewards).where(eq(rewards.id, id)).get();
}
