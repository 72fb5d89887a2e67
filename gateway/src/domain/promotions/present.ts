import type { Audience, Challenge, Conditions, Promotion, Reward, Schedule } from "./definition";

/** A promotion as the API answers it (API-programs.md "Promotions and campaigns"): snake_case, nulls where unset. */
export type PromotionView = {
  id: string;
  program_id: string;
  campaign_id: string | null;
  name: string;
  description: string | null;
  status: Promotion["status"];
  starts_at: string;
  ends_at: string | null;
  trigger: Promotion["trigger"];
  schedule: Schedule | null;
  audience: Audience | null;
  conditions: Conditions | null;
  challenge: Challenge | null;
  activity_types: string[] | null;
  reward: Reward;
  limits: { budget_points: number | null; max_points_per_member: number | null; max_awards_per_member: number | null };
  control_group_bps: number;
  stacking: Promotion["stacking"];
  priority: number;
  budget: { points: number | null; used: number; remaining: number | null; exhausted_at: string | null };
  created_at: string;
  updated_at: string;
};

/**
 * The API's view of a promotion, for every answer that shows one (CRUD, simulate, performance, the portal).
 * `budget.used` is every point it ever paid: reversals of the earns it rewarded do not give budget back.
 */
export function presentPromotion(promotion: Promotion): PromotionView {
  return {
    id: promotion.id,
    program_id: promotion.programId,
    campaign_id: promotion.campaignId,
    name: promotion.name,
    description: promotion.description,
    status: promotion.status,
    starts_at: promotion.startsAt.toISOString(),
    ends_at: promotion.endsAt?.toISOString() ?? null,
    trigger: promotion.trigger,
    schedule: promotion.schedule,
    audience: promotion.audience,
    conditions: promotion.conditions,
    challenge: promotion.challenge,
    activity_types: promotion.activityTypes,
    reward: promotion.reward,
    limits: {
      budget_points: promotion.budgetPoints,
      max_points_per_member: promotion.maxPointsPerMember,
      max_awards_per_member: promotion.maxAwardsPerMember,
    },
    control_group_bps: promotion.controlGroupBps,
    stacking: promotion.stacking,
    priority: promotion.priority,
    budget: {
      points: promotion.budgetPoints,
      used: promotion.pointsAwarded,
      remaining: promotion.budgetPoints === null ? null : promotion.budgetPoints - promotion.pointsAwarded,
      exhausted_at: promotion.budgetExhaustedAt?.toISOString() ?? null,
    },
    created_at: promotion.createdAt.toISOString(),
    updated_at: promotion.updatedAt.toISOString(),
  };
}
