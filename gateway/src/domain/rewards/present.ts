import type { CatalogueReward } from "./catalogue";
import { rewardLocales } from "./reward";

/**
 * A reward as the API answers it (API-programs.md "Rewards catalogue and redemptions"): snake_case, nulls where
 * unset, `stock` as orders see it (a `code` reward's available codes), translations with every description given
 * (null where none).
 */
export function presentReward(reward: CatalogueReward) {
  const at = (date: Date | null) => date?.toISOString() ?? null;
  const translations: Record<string, { name: string; description: string | null }> = {};
  for (const locale of rewardLocales) {
    const translation = reward.translations[locale];
    if (translation) translations[locale] = { name: translation.name, description: translation.description ?? null };
  }
  return {
    id: reward.id,
    program_id: reward.programId,
    sku: reward.sku,
    name: reward.name,
    description: reward.description,
    type: reward.type,
    points_price: reward.pointsPrice,
    tiers: reward.tiers,
    stock: reward.available,
    per_member_limit: reward.perMemberLimit,
    fulfilment: reward.fulfilment,
    fulfilling_partner_id: reward.fulfillingPartnerId,
    available_from: at(reward.availableFrom),
    available_until: at(reward.availableUntil),
    active: reward.active,
    translations,
    created_at: reward.createdAt.toISOString(),
    updated_at: reward.updatedAt.toISOString(),
  };
}

export type RewardView = ReturnType<typeof presentReward>;
