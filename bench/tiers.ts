import type { BenchGateway } from "./gateway";

/**
 * The earn-tiers scenario's program (issue 16): four tiers whose accrual bonuses range from none to 100%, as the
 * issue asks. Gold also qualifies by purchases, so minimums of two kinds are in play.
 */
export const benchTierTable = {
  qualification_window_days: 365,
  tiers: [
    { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
    { key: "silver", name: "Silver", min_points: 500, earn_bonus_bps: 2500, upgrade_bonus_points: 100 },
    { key: "gold", name: "Gold", min_points: 2000, min_purchases: 50, earn_bonus_bps: 5000, upgrade_bonus_points: 250 },
    { key: "platinum", name: "Platinum", min_points: 10000, earn_bonus_bps: 10000, upgrade_bonus_points: 1000 },
  ],
};

/**
 * The one seed earn of member i, which places it in tier i % 4, so a quarter of the members hold each tier and
 * three earns in four pay an accrual bonus. Each is mid-band: at 10 points an earn, a member needs 40 more earns
 * to leave blue and 49 to leave silver (gold by purchases), far more than a default run gives each of 1,000
 * members, so the scenario measures accrual at a steady spread rather than a wave of upgrades.
 */
const seedPoints = [100, 1_000, 5_000, 20_000] as const;
export const tierSeedPoints = (index: number): number => seedPoints[index % seedPoints.length] ?? 0;

/** Members holding each tier now, from `GET /v1/programs/{id}/tiers`. */
export async function tierCounts(gw: BenchGateway, token: string, programId: string): Promise<Record<string, number>> {
  const table = (await gw.call("GET", `/v1/programs/${programId}/tiers`, { token })) as {
    tiers: { key: string; member_count: number }[];
  };
  return Object.fromEntries(table.tiers.map((tier) => [tier.key, tier.member_count]));
}
