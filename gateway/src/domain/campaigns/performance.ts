import { findCampaignSegments } from "../../db/queries/campaigns";
import {
  type CampaignPromotion,
  countTargetedAndResponders,
  listCampaignPromotions,
  sumPromotionGroups,
} from "../../db/queries/promotion-performance";
import { listProgramSegments } from "../../db/queries/segments";
import type { Deps } from "../../deps";
import type { Caller, Program } from "../programs";
import { costOf, groupOf, type Money } from "../promotions/performance";
import { incrementalSpend, roi } from "../promotions/uplift";
import { ruleOf, segmentCondition } from "../segments/segments";
import { type CampaignRow, managedCampaign } from "./owned";

/**
 * How a campaign did: what its promotions awarded and cost, how many of the members it targets (its segments,
 * now) earned during it against the response it expected, and the spend its promotions added.
 */
export type CampaignPerformance = {
  campaignId: string;
  /** Its promotions, oldest first, with what each awarded. */
  promotions: CampaignPromotion[];
  targetedMembers: number;
  responders: number;
  responsePct: number | null;
  expectedResponsePct: number | null;
  cost: Money;
  incrementalSpendMinor: number | null;
  roi: number | null;
};

/** When the campaign ran: from its actual start (else planned) to its actual end (else planned; null: still on). */
function campaignWindow(campaign: CampaignRow): { since: Date; until: Date | null } | null {
  const since = campaign.actualStart ?? campaign.plannedStart;
  if (!since) return null;
  return { since, until: campaign.actualEnd ?? campaign.plannedEnd };
}

/** The members a campaign's segments hold now, as conditions over the member row (dynamic rules evaluated now). */
async function targetConditions(deps: Pick<Deps, "db" | "clock">, campaign: CampaignRow) {
  const targeted = new Set((await findCampaignSegments(deps.db, [campaign.id])).get(campaign.id)?.map((s) => s.id));
  if (targeted.size === 0) return [];
  const all = await listProgramSegments(deps.db, campaign.programId);
  const known = new Map(all.map((segment) => [segment.id, { type: segment.type, rule: ruleOf(segment) }]));
  return Promise.all(
    all.filter((segment) => targeted.has(segment.id)).map((segment) => segmentCondition(deps, segment, known)),
  );
}

/**
 * The performance of `campaign` (of `program`) as of now. Responders are targeted members with an earn in the
 * campaign's window (none before it starts). The incremental spend sums that of each promotion with both a
 * treatment and a control group ((treatment - control spend per member) × treatment members); null when none has.
 */
export async function measureCampaign(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  campaign: CampaignRow,
  program: Pick<Program, "issuePriceMicros" | "settlementCurrency">,
): Promise<CampaignPerformance> {
  const [promotions, totals, targets] = await Promise.all([
    listCampaignPromotions(deps.reader, campaign.id),
    sumPromotionGroups(deps.reader, { campaignId: campaign.id }),
    targetConditions(deps, campaign),
  ]);
  const { targeted, responders } = await countTargetedAndResponders(
    deps.reader,
    campaign.programId,
    targets,
    campaignWindow(campaign),
  );
  const measured = promotions
    .map((promotion) =>
      incrementalSpend(groupOf(totals, promotion.id, "treatment"), groupOf(totals, promotion.id, "control")),
    )
    .filter((spend): spend is number => spend !== null);
  const incremental = measured.length === 0 ? null : measured.reduce((sum, spend) => sum + spend, 0);
  const cost = costOf(
    promotions.reduce((sum, promotion) => sum + promotion.pointsAwarded, 0),
    program,
  );
  return {
    campaignId: campaign.id,
    promotions,
    targetedMembers: targeted,
    responders,
    responsePct: targeted === 0 ? null : (responders / targeted) * 100,
    expectedResponsePct: campaign.expectedResponsePct,
    cost,
    incrementalSpendMinor: incremental,
    roi: roi(incremental, cost.amountMinor),
  };
}

/** A campaign's performance for its program's owner and the operator (403 or 404 for others, as managing it). */
export async function campaignPerformance(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  id: string,
): Promise<CampaignPerformance> {
  const { campaign, program } = await managedCampaign(deps, caller, id);
  return measureCampaign(deps, campaign, program);
}
