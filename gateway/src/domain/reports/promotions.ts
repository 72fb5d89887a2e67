import { sumPromotionGroups } from "../../db/queries/promotion-performance";
import {
  countPromotionAwards,
  listProgramPromotions,
  type ReportedPromotion,
} from "../../db/queries/report-promotions";
import type { Deps } from "../../deps";
import type { Caller } from "../programs";
import { costOf, performanceOf } from "../promotions/performance";
import { managedReportRange, type ProgramReportHead } from "./program-range";

/**
 * One promotion with its performance and return side by side, flat (a CSV row as it is). The performance is
 * `GET /v1/promotions/{id}/performance`'s, computed by the same code: as of now, over each member's exposure (the
 * performance has no range). The range picks what was awarded in it.
 */
export type PromotionReportRow = {
  promotion_id: string;
  name: string;
  status: ReportedPromotion["status"];
  trigger: ReportedPromotion["trigger"];
  campaign_id: string | null;
  starts_at: string;
  ends_at: string | null;
  control_group_bps: number;
  budget_points: number | null;
  budget_used: number;
  awards: number;
  awards_in_range: number;
  points_awarded_in_range: number;
  cost_minor: number;
  currency: string;
  treatment_members: number;
  treatment_earns: number;
  treatment_spend_minor: number;
  control_members: number;
  control_earns: number;
  control_spend_minor: number;
  spend_per_member_treatment: number | null;
  spend_per_member_control: number | null;
  uplift_pct: number | null;
  uplift_ci95_low: number | null;
  uplift_ci95_high: number | null;
  incremental_spend_minor: number | null;
  roi: number | null;
};

export type PromotionsReport = ProgramReportHead & {
  totals: {
    promotions: number;
    budget_used: number;
    points_awarded_in_range: number;
    awards_in_range: number;
    cost_minor: number;
    currency: string;
  };
  promotions: PromotionReportRow[];
};

/** The report's table, downloadable as CSV with these columns (the JSON names, in order). */
export const promotionsTables = {
  promotions: [
    "promotion_id",
    "name",
    "status",
    "trigger",
    "campaign_id",
    "starts_at",
    "ends_at",
    "control_group_bps",
    "budget_points",
    "budget_used",
    "awards",
    "awards_in_range",
    "points_awarded_in_range",
    "cost_minor",
    "currency",
    "treatment_members",
    "treatment_earns",
    "treatment_spend_minor",
    "control_members",
    "control_earns",
    "control_spend_minor",
    "spend_per_member_treatment",
    "spend_per_member_control",
    "uplift_pct",
    "uplift_ci95_low",
    "uplift_ci95_high",
    "incremental_spend_minor",
    "roi",
  ],
} as const satisfies { promotions: readonly (keyof PromotionReportRow)[] };

/**
 * The promotions report of a program, for its owner and the operator: every promotion (drafts and ended ones too,
 * by start) with its performance and return as `GET /v1/promotions/{id}/performance` answers them now, its awards
 * ever and in local dates `from`..`to` of the program's zone (default: the last 30 days), gross like its budget.
 */
export async function promotionsReport(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  query: { from?: string; to?: string },
): Promise<PromotionsReport> {
  const { program, range, head } = await managedReportRange(deps, caller, programId, query);
  const [promotions, groups, awards] = await Promise.all([
    listProgramPromotions(deps.reader, program.id),
    sumPromotionGroups(deps.reader, { programId: program.id }),
    countPromotionAwards(deps.reader, program.id, range),
  ]);
  const rows = promotions.map((promotion): PromotionReportRow => {
    const p = performanceOf(promotion, program, groups);
    const awarded = awards.get(promotion.id) ?? { awards: 0, awardsInRange: 0, pointsInRange: 0 };
    return {
      promotion_id: promotion.id,
      name: promotion.name,
      status: promotion.status,
      trigger: promotion.trigger,
      campaign_id: promotion.campaignId,
      starts_at: promotion.startsAt.toISOString(),
      ends_at: promotion.endsAt?.toISOString() ?? null,
      control_group_bps: promotion.controlGroupBps,
      budget_points: p.budget.points,
      budget_used: p.budget.used,
      awards: awarded.awards,
      awards_in_range: awarded.awardsInRange,
      points_awarded_in_range: awarded.pointsInRange,
      cost_minor: p.cost.amountMinor,
      currency: p.cost.currency,
      treatment_members: p.treatment.members,
      treatment_earns: p.treatment.earns,
      treatment_spend_minor: p.treatment.spendMinor,
      control_members: p.control.members,
      control_earns: p.control.earns,
      control_spend_minor: p.control.spendMinor,
      spend_per_member_treatment: p.spendPerMember.treatment,
      spend_per_member_control: p.spendPerMember.control,
      uplift_pct: p.upliftPct,
      uplift_ci95_low: p.upliftCi95?.[0] ?? null,
      uplift_ci95_high: p.upliftCi95?.[1] ?? null,
      incremental_spend_minor: p.incrementalSpendMinor,
      roi: p.roi,
    };
  });
  const sum = (pick: (row: PromotionReportRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const budgetUsed = sum((row) => row.budget_used);
  return {
    ...head,
    totals: {
      promotions: rows.length,
      budget_used: budgetUsed,
      points_awarded_in_range: sum((row) => row.points_awarded_in_range),
      awards_in_range: sum((row) => row.awards_in_range),
      // The points of them all priced at once, rounded once, as a campaign's cost is.
      cost_minor: costOf(budgetUsed, program).amountMinor,
      currency: program.settlementCurrency,
    },
    promotions: rows,
  };
}
