import type { campaigns, promotions } from "../../db/schema";

export type PromotionRow = typeof promotions.$inferSelect;
export type CampaignRow = typeof campaigns.$inferSelect;

/** When in the week and day a promotion applies, in `timezone` (the program's unless given). */
export type Schedule = { days_of_week?: number[]; from_time?: string; to_time?: string; timezone?: string };

/** Who a promotion applies to: within a list any entry matches; every list given must match. */
export type Audience = { tiers?: string[]; segments?: string[]; earning_partners?: string[]; channels?: string[] };

export type Conditions = { min_purchase_minor?: number };

export type Challenge = { earns?: number; spend_minor?: number };

/** Exactly one of the three. */
export type Reward =
  | { multiplier_bps: number }
  | { bonus_points: number }
  | { points_per_amount: { points: number; per_amount_minor: number } };

export type Limits = { budget_points?: number; max_points_per_member?: number; max_awards_per_member?: number };

/** A promotion with its JSON parts parsed (they were checked when written). */
export type Promotion = Omit<
  PromotionRow,
  "schedule" | "audience" | "conditions" | "challenge" | "activityTypes" | "reward"
> & {
  schedule: Schedule | null;
  audience: Audience | null;
  conditions: Conditions | null;
  challenge: Challenge | null;
  activityTypes: string[] | null;
  reward: Reward;
};

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** A stored promotion, parsed. */
export function promotionOf(row: PromotionRow): Promotion {
  return {
    ...row,
    schedule: parsed<Schedule>(row.schedule),
    audience: parsed<Audience>(row.audience),
    conditions: parsed<Conditions>(row.conditions),
    challenge: parsed<Challenge>(row.challenge),
    activityTypes: parsed<string[]>(row.activityTypes),
    reward: JSON.parse(row.reward) as Reward,
  };
}

/**
 * Triggers that pay a member at most once per promotion (`once_awarded`): a challenge completed, the referred
 * member's referral award, the enrolment award. Earn and activity promotions pay within the member limits; a
 * referrer is paid once per member it referred.
 */
export const isOneOff = (promotion: Pick<Promotion, "trigger">): boolean =>
  promotion.trigger === "challenge" || promotion.trigger === "referral" || promotion.trigger === "enrolment";
