import { listCampaignsPage } from "../../db/queries/campaigns";
import { type KpiProgram, listOwnedPrograms } from "../../db/queries/kpis";
import { type DayAwards, listDailyAwards } from "../../db/queries/promotion-performance";
import { listPromotionsPage } from "../../db/queries/promotions";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { CampaignRow } from "../campaigns/owned";
import { type CampaignPerformance, measureCampaign } from "../campaigns/performance";
import { findProgram } from "../programs";
import { type Promotion, promotionOf } from "./definition";
import { managedPromotion } from "./owned";
import { measurePromotion, type PromotionPerformance } from "./performance";

/**
 * What the partner portal shows a program's owner of its promotions and campaigns: each owned program's newest
 * promotions and campaigns (with each campaign's performance), and one promotion's performance with its awards per
 * day. Unlike the API (403 for a partner with an agreement in the program), every other partner is answered 404:
 * these pages are the owner's.
 */

/** How many of a program's newest promotions or campaigns the portal lists. */
export const portalListLimit = 100;

/** The days the awards chart covers at most: the promotion's last 90 days (UTC) until its end or now. */
const chartDays = 90;
const dayMs = 86_400_000;

export type OwnedPromotions = { program: KpiProgram; promotions: Promotion[]; more: boolean };

/** Every program `partnerId` owns, oldest first, with its newest promotions. */
export async function ownedPromotions(
  deps: Pick<Deps, "db" | "reader">,
  partnerId: string,
): Promise<OwnedPromotions[]> {
  const owned = await listOwnedPrograms(deps.reader, partnerId);
  return Promise.all(
    owned.map(async (program) => {
      const page = await listPromotionsPage(deps.db, program.id, {}, { limit: portalListLimit });
      return { program, promotions: page.data.map(promotionOf), more: page.has_more };
    }),
  );
}

export type OwnedCampaigns = {
  program: KpiProgram;
  campaigns: { campaign: CampaignRow; performance: CampaignPerformance }[];
  more: boolean;
};

/** Every program `partnerId` owns, oldest first, with its newest campaigns and how each did. */
export async function ownedCampaigns(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  partnerId: string,
): Promise<OwnedCampaigns[]> {
  const owned = await listOwnedPrograms(deps.reader, partnerId);
  return Promise.all(
    owned.map(async (program) => {
      const [full, page] = await Promise.all([
        findProgram(deps.db, program.id),
        listCampaignsPage(deps.db, program.id, { limit: portalListLimit }),
      ]);
      const campaigns = await Promise.all(
        page.data.map(async (campaign) => ({ campaign, performance: await measureCampaign(deps, campaign, full) })),
      );
      return { program, campaigns, more: page.has_more };
    }),
  );
}

/** A UTC day's awards, for the chart. */
export type DayAwarded = { day: string; awarded: number };

export type OwnedPromotion = {
  promotion: Promotion;
  program: { id: string; name: string; currency: string };
  performance: PromotionPerformance;
  daily: DayAwarded[];
};

/** Every UTC day from `from` to `until` (both days included), with the awards of those that had any. */
function everyDay(awards: readonly DayAwards[], from: Date, until: Date): DayAwarded[] {
  const byDay = new Map(awards.map((award) => [award.day, award.points]));
  const days: DayAwarded[] = [];
  const start = Math.floor(from.getTime() / dayMs) * dayMs;
  for (let at = start; at <= until.getTime(); at += dayMs) {
    const day = new Date(at).toISOString().slice(0, 10);
    days.push({ day, awarded: byDay.get(day) ?? 0 });
  }
  return days;
}

/**
 * A promotion of a program `partnerId` owns, with its performance and its awards per UTC day over its last 90 days
 * (from its start, until its end or now; none before it starts); 404 for any other.
 */
export async function ownedPromotion(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  partnerId: string,
  id: string,
): Promise<OwnedPromotion> {
  let managed: Awaited<ReturnType<typeof managedPromotion>>;
  try {
    managed = await managedPromotion(deps, { partnerId }, id);
  } catch (error) {
    // managedPromotion's 403 is for a partner with an agreement in the program: not the owner, so not found here.
    if (error instanceof ApiError && error.code === "forbidden") throw new ApiError("not_found", `No promotion ${id}.`);
    throw error;
  }
  const { promotion, program } = managed;
  const now = deps.clock.now();
  const until = new Date(Math.min(now.getTime(), (promotion.endsAt?.getTime() ?? Number.POSITIVE_INFINITY) - 1));
  const from = new Date(Math.max(promotion.startsAt.getTime(), until.getTime() - (chartDays - 1) * dayMs));
  const [performance, awards] = await Promise.all([
    measurePromotion(deps, promotion, program),
    listDailyAwards(deps.reader, promotion.id),
  ]);
  return {
    promotion,
    program: { id: program.id, name: program.name, currency: program.settlementCurrency },
    performance,
    daily: from > until ? [] : everyDay(awards, from, until),
  };
}
