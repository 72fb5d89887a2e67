import type { RewardRow } from "../../db/queries/rewards";

export { fulfilments, rewardTypes } from "../../db/queries/rewards";

export type RewardType = RewardRow["type"];
export type Fulfilment = RewardRow["fulfilment"];

/** The languages a reward's name and description may be translated into (API-programs.md). */
export const rewardLocales = ["en", "pt-BR", "ru"] as const;
export type RewardLocale = (typeof rewardLocales)[number];

/** A reward's name and description in other languages, by locale ("pt-BR", "ru"). */
export type Translations = Partial<Record<RewardLocale, { name: string; description?: string | null }>>;

/** A reward of a program's catalogue, as the domain works with it (JSON columns parsed). */
export type Reward = Omit<RewardRow, "tiers" | "translations"> & {
  /** The tier keys that may redeem it; null: every member. */
  tiers: string[] | null;
  translations: Translations;
};

export const rewardOf = (row: RewardRow): Reward => ({
  ...row,
  tiers: row.tiers === null ? null : (JSON.parse(row.tiers) as string[]),
  translations: JSON.parse(row.translations) as Translations,
});

/** The row a reward is stored as (JSON columns serialised). */
export const rowOf = (reward: Reward): RewardRow => ({
  ...reward,
  tiers: reward.tiers === null ? null : JSON.stringify(reward.tiers),
  translations: JSON.stringify(reward.translations),
});

/** The partner whose burn a redemption of `reward` is on statements: its fulfilling partner, else the owner's. */
export const fulfillingPartnerOf = (reward: Pick<Reward, "fulfillingPartnerId">, programOwnerId: string): string =>
  reward.fulfillingPartnerId ?? programOwnerId;
