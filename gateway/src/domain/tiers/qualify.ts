import type { Activity } from "../../db/queries/tiers";
import type { programTiers } from "../../db/schema";

export type { Activity };
export type Tier = typeof programTiers.$inferSelect;

/** A program's tier table: its tiers lowest first and the trailing window they qualify over. */
export type TierTable = { windowDays: number; version: number; updatedAt: Date | null; tiers: Tier[] };

const dayMs = 86_400_000;

/** Earns made after this instant count towards tiers at `now`: exactly `windowDays` back. */
export const windowStart = (table: Pick<TierTable, "windowDays">, now: Date) =>
  new Date(now.getTime() - table.windowDays * dayMs);

/** Until when a tier reached at `now` is held at least. */
export const heldUntil = (table: Pick<TierTable, "windowDays">, now: Date) =>
  new Date(now.getTime() + table.windowDays * dayMs);

/** Whether the activity meets any one of the tier's minimums (the entry tier has none and is always met). */
function meets(tier: Tier, activity: Activity): boolean {
  if (tier.position === 0) return true;
  return (
    (tier.minPoints !== null && activity.points >= tier.minPoints) ||
    (tier.minPurchases !== null && activity.purchases >= tier.minPurchases) ||
    (tier.minSpendMinor !== null && activity.spendMinor >= tier.minSpendMinor)
  );
}

/** The position of the highest tier the activity qualifies for. */
export function qualifyingPosition(tiers: readonly Tier[], activity: Activity): number {
  for (let position = tiers.length - 1; position > 0; position--) {
    const tier = tiers[position];
    if (tier && meets(tier, activity)) return position;
  }
  return 0;
}

/** The activity with one more earn (of `points`, for a purchase of `spendMinor` if there was one). */
export const withEarn = (activity: Activity, points: number, spendMinor: number | null): Activity => ({
  points: activity.points + points,
  purchases: activity.purchases + 1,
  spendMinor: activity.spendMinor + (spendMinor ?? 0),
});

/** What the member still needs, by each minimum of the next tier up, to reach it (null at the top tier). */
export function progressToNext(tiers: readonly Tier[], position: number, activity: Activity) {
  const next = tiers[position + 1];
  if (!next) return null;
  const needed = (minimum: number | null, value: number) => (minimum === null ? null : Math.max(0, minimum - value));
  return {
    nextTierKey: next.key,
    pointsNeeded: needed(next.minPoints, activity.points),
    purchasesNeeded: needed(next.minPurchases, activity.purchases),
    spendMinorNeeded: needed(next.minSpendMinor, activity.spendMinor),
  };
}

/** The position of a tier key in the table; a key no longer in it counts as the entry tier. */
export const positionOf = (tiers: readonly Tier[], key: string | null): number =>
  tiers.find((tier) => tier.key === key)?.position ?? 0;
