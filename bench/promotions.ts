import type { BenchGateway } from "./gateway";

/** Members of the static segment (a marketing list) the fourth promotion targets: the first quarter of 1,000. */
const listedMembers = 250;

/**
 * The earn-promotions scenario's program (issue 18): the tier table of earn-tiers plus five active promotions, two
 * of them aimed at segments, so an earn reads the cached promotions, checks the member against two segments, and
 * writes up to five awards, their exposures and a challenge's progress:
 * - double points on every day of the week (a schedule in the program's zone) for everyone;
 * - 5 points for gold and platinum members (an audience by tier);
 * - +20% for the dynamic segment "lifetime earned at least 1,000" (three members in four), with a 10% control group;
 * - 3 points for the members of a static list, at most 1,000,000 awards each (a member limit read and asserted);
 * - a challenge: 10 earns pay 500 points once (progress written on every earn; a default run completes many).
 * Budgets are far beyond a run, so every earn pays.
 */
export async function configureBenchPromotions(
  gw: BenchGateway,
  token: string,
  programId: string,
  externalId: (index: number) => string,
): Promise<void> {
  const highEarners = await gw.call("POST", `/v1/programs/${programId}/segments`, {
    token,
    body: {
      name: "High earners",
      type: "dynamic",
      rule: { field: "lifetime_earned", op: "gte", value: 1000 },
    },
  });
  const list = await gw.call("POST", `/v1/programs/${programId}/segments`, {
    token,
    body: { name: "VIP list", type: "static" },
  });
  await gw.call("POST", `/v1/segments/${list.id}/members`, {
    token,
    body: { external_ids: Array.from({ length: listedMembers }, (_, index) => externalId(index)) },
  });
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const budget = { budget_points: 1_000_000_000_000 };
  const promotions = [
    {
      name: "Double points all week",
      trigger: "earn",
      schedule: { days_of_week: [1, 2, 3, 4, 5, 6, 7] },
      reward: { multiplier_bps: 20_000 },
      limits: budget,
    },
    {
      name: "Gold and platinum thank-you",
      trigger: "earn",
      audience: { tiers: ["gold", "platinum"] },
      reward: { bonus_points: 5 },
      limits: budget,
    },
    {
      name: "High earners +20%",
      trigger: "earn",
      audience: { segments: [highEarners.id] },
      reward: { multiplier_bps: 12_000 },
      control_group_bps: 1000,
      limits: budget,
    },
    {
      name: "VIP list bonus",
      trigger: "earn",
      audience: { segments: [list.id] },
      reward: { bonus_points: 3 },
      limits: { ...budget, max_awards_per_member: 1_000_000 },
    },
    {
      name: "Ten earns challenge",
      trigger: "challenge",
      challenge: { earns: 10 },
      reward: { bonus_points: 500 },
      limits: budget,
    },
  ];
  for (const promotion of promotions)
    await gw.call("POST", `/v1/programs/${programId}/promotions`, {
      token,
      body: { ...promotion, status: "active", starts_at: startsAt },
    });
}
