import { quantileSorted } from "d3-array";
import {
  countRewardOrders,
  listFulfilments,
  type ReportedReward,
  type RewardOrders,
} from "../../db/queries/report-rewards";
import type { Deps } from "../../deps";
import type { Caller } from "../programs";
import { managedReportRange, type ProgramReportHead } from "./program-range";

/**
 * A reward's orders in the range, cancellations and returns netted (each counted when it happened, as the KPI
 * report nets a reversal), and how long the orders fulfilled in the range took.
 */
export type RewardReportRow = Pick<RewardOrders, "sku" | "name" | "type" | "fulfilment"> & {
  reward_id: string;
  orders: number;
  cancelled: number;
  returned: number;
  net_orders: number;
  quantity: number;
  points: number;
  fulfilled: number;
  fulfilment_median_hours: number | null;
  fulfilment_p90_hours: number | null;
};

export type RewardsReport = ProgramReportHead & {
  totals: { orders: number; cancelled: number; returned: number; net_orders: number; quantity: number; points: number };
  rewards: RewardReportRow[];
};

/** The report's table, downloadable as CSV with these columns (the JSON names, in order). */
export const rewardsTables = {
  rewards: [
    "reward_id",
    "sku",
    "name",
    "type",
    "fulfilment",
    "orders",
    "cancelled",
    "returned",
    "net_orders",
    "quantity",
    "points",
    "fulfilled",
    "fulfilment_median_hours",
    "fulfilment_p90_hours",
  ],
} as const satisfies { rewards: readonly (keyof RewardReportRow)[] };

const hourMs = 3_600_000;

/** The p-quantile of sorted hours by linear interpolation between closest ranks (R-7, spreadsheets' PERCENTILE.INC). */
const quantileHours = (sorted: number[], p: number) => quantileSorted(sorted, p) ?? null;

/**
 * The rewards report of a program over local dates `from`..`to` of its zone (default: the last 30 days), for its
 * owner and the operator: each reward with orders in the range (or fulfilments), by points then net orders, most
 * first: orders whose points were burned in the range, those cancelled or returned in it, and the net orders,
 * units and points; and of the orders fulfilled in the range, the median and 90th percentile of the hours from
 * placement to fulfilment.
 */
export async function rewardsReport(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  query: { from?: string; to?: string },
): Promise<RewardsReport> {
  const { program, range, head } = await managedReportRange(deps, caller, programId, query);
  const [orders, fulfilments] = await Promise.all([
    countRewardOrders(deps.reader, program.id, range),
    listFulfilments(deps.reader, program.id, range),
  ]);
  const hours = new Map<string, number[]>();
  const rewards = new Map<string, ReportedReward>();
  for (const f of [...orders, ...fulfilments]) rewards.set(f.rewardId, f);
  for (const f of fulfilments) {
    const taken = hours.get(f.rewardId);
    if (taken) taken.push(f.ms / hourMs);
    else hours.set(f.rewardId, [f.ms / hourMs]);
  }
  const ordersOf = new Map(orders.map((order) => [order.rewardId, order]));
  const rows = [...rewards.entries()].map(([rewardId, reward]): RewardReportRow => {
    const o = ordersOf.get(rewardId);
    const taken = (hours.get(rewardId) ?? []).sort((a, b) => a - b);
    const placed = o?.orders ?? 0;
    const cancelled = o?.cancelled ?? 0;
    const returned = o?.returned ?? 0;
    return {
      reward_id: rewardId,
      sku: reward.sku,
      name: reward.name,
      type: reward.type,
      fulfilment: reward.fulfilment,
      orders: placed,
      cancelled,
      returned,
      net_orders: placed - cancelled - returned,
      quantity: (o?.quantity ?? 0) - (o?.quantityBack ?? 0),
      points: (o?.points ?? 0) - (o?.pointsBack ?? 0),
      fulfilled: taken.length,
      fulfilment_median_hours: quantileHours(taken, 0.5),
      fulfilment_p90_hours: quantileHours(taken, 0.9),
    };
  });
  rows.sort((a, b) => b.points - a.points || b.net_orders - a.net_orders || a.reward_id.localeCompare(b.reward_id));
  const sum = (pick: (row: RewardReportRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    ...head,
    totals: {
      orders: sum((row) => row.orders),
      cancelled: sum((row) => row.cancelled),
      returned: sum((row) => row.returned),
      net_orders: sum((row) => row.net_orders),
      quantity: sum((row) => row.quantity),
      points: sum((row) => row.points),
    },
    rewards: rows,
  };
}
