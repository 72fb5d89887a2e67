import type { SqlReader } from "../reader";
import type { rewards } from "../schema";
import type { SqlRow } from "./rows";

type Reward = typeof rewards.$inferSelect;

/** What the rewards report names of a reward, as both queries select it (`w` the reward, `r` an order). */
export type ReportedReward = Pick<Reward, "sku" | "name" | "type" | "fulfilment"> & { rewardId: string };
const rewardColumns = "r.reward_id, w.sku, w.name, w.type, w.fulfilment";
type RewardColumns = Pick<SqlRow<typeof rewards>, "sku" | "name" | "type" | "fulfilment"> & { reward_id: string };
const rewardOf = (row: RewardColumns): ReportedReward => ({
  rewardId: row.reward_id,
  sku: row.sku,
  name: row.name,
  type: row.type,
  fulfilment: row.fulfilment,
});

/** A reward's orders in a range: paid for (their burn), and given back (their refund: a cancel or a return). */
export type RewardOrders = ReportedReward & {
  orders: number;
  quantity: number;
  points: number;
  cancelled: number;
  returned: number;
  quantityBack: number;
  pointsBack: number;
};

/**
 * Each reward's orders by what the journal says happened in `[since, until)`: an order counts when its points were
 * burned (placed, or approved after a review hold) and counts back when its burn was reversed (cancelled while
 * pending, or returned), each in the range it happened in, as the KPI report counts `points_redeemed`. Reads the
 * program's journal by (program_id, created_at) and each order by its transaction (redemptions_transaction).
 */
export async function countRewardOrders(
  reader: SqlReader,
  programId: string,
  range: { since: Date; until: Date },
): Promise<RewardOrders[]> {
  const rows = await reader.all<
    RewardColumns & {
      orders: number;
      quantity: number;
      points: number;
      cancelled: number;
      returned: number;
      quantity_back: number;
      points_back: number;
    }
  >(
    `select ${rewardColumns},
            count(case when t.type = 'burn' then 1 end) as orders,
            coalesce(sum(case when t.type = 'burn' then r.quantity end), 0) as quantity,
            coalesce(sum(case when t.type = 'burn' then t.points end), 0) as points,
            count(case when t.type = 'reversal' and r.status = 'cancelled' then 1 end) as cancelled,
            count(case when t.type = 'reversal' and r.status = 'returned' then 1 end) as returned,
            coalesce(sum(case when t.type = 'reversal' then r.quantity end), 0) as quantity_back,
            coalesce(sum(case when t.type = 'reversal' then t.points end), 0) as points_back
     from ledger_transactions t
     join redemptions r on r.transaction_id = case when t.type = 'burn' then t.id else t.original_transaction_id end
     join rewards w on w.id = r.reward_id
     where t.program_id = ? and t.created_at >= ? and t.created_at < ? and t.type in ('burn', 'reversal')
     group by r.reward_id`,
    [programId, range.since.getTime(), range.until.getTime()],
  );
  return rows.map((row) => ({
    ...rewardOf(row),
    orders: row.orders,
    quantity: row.quantity,
    points: row.points,
    cancelled: row.cancelled,
    returned: row.returned,
    quantityBack: row.quantity_back,
    pointsBack: row.points_back,
  }));
}

/** An order fulfilled in a range: its reward and how long it took from placement to fulfilment. */
export type Fulfilment = ReportedReward & { ms: number };

/**
 * The program's orders fulfilled in `[since, until)` (returned ones included: they were fulfilled), with the time
 * from each order's creation to its fulfilment.
 */
export async function listFulfilments(
  reader: SqlReader,
  programId: string,
  range: { since: Date; until: Date },
): Promise<Fulfilment[]> {
  const rows = await reader.all<RewardColumns & { ms: number }>(
    `select ${rewardColumns}, r.fulfilled_at - r.created_at as ms
     from redemptions r join rewards w on w.id = r.reward_id
     where r.program_id = ? and r.status in ('fulfilled', 'returned') and r.fulfilled_at >= ? and r.fulfilled_at < ?`,
    [programId, range.since.getTime(), range.until.getTime()],
  );
  return rows.map((row) => ({ ...rewardOf(row), ms: row.ms }));
}
