import type { Reward } from "./definition";

/**
 * The most points one award pays: the most one earn may carry (the earn's `points` maximum). Only
 * `points_per_amount` on a very large purchase can compute more (10^12 minor units at 10^6 points per unit is 10^18,
 * beyond what a ledger amount holds exactly); such an award is cut here rather than rounded by floating point.
 */
export const maxAwardPoints = 1_000_000_000n;

/** What an event brings for a reward to be computed from. */
export type RewardBase = {
  /** The earn's own points (not its tier bonuses); 0 for an event without points. */
  points: number;
  /** The purchase amount in minor units; null for a points-only earn or an event without a purchase. */
  amountMinor: number | null;
};

/**
 * The points a reward pays for an event, before limits, in BigInt so no product loses precision:
 * `multiplier_bps` adds `floor(points * (bps - 10000) / 10000)`, `bonus_points` its fixed amount, and
 * `points_per_amount` `floor(amount_minor * points / per_amount_minor)` (0 without a purchase).
 */
export function rewardPoints(reward: Reward, base: RewardBase): bigint {
  if ("multiplier_bps" in reward) return (BigInt(base.points) * BigInt(reward.multiplier_bps - 10_000)) / 10_000n;
  if ("bonus_points" in reward) return BigInt(reward.bonus_points);
  if (base.amountMinor === null) return 0n;
  const { points, per_amount_minor } = reward.points_per_amount;
  return (BigInt(base.amountMinor) * BigInt(points)) / BigInt(per_amount_minor);
}

/** The smallest of `points` and every limit given (null: no limit), never below 0. */
export function cutTo(points: bigint, ...limits: (bigint | null)[]): bigint {
  let cut = points;
  for (const limit of limits) if (limit !== null && limit < cut) cut = limit;
  return cut < 0n ? 0n : cut;
}
