import type { Deps } from "../../gateway/src/deps";
import type { Program } from "../../gateway/src/domain/programs";
import { bucketsOf } from "../../gateway/src/domain/reports/buckets";
import { type KpiReport, kpiReport } from "../../gateway/src/domain/reports/kpis";
import { type PromotionsReport, promotionsReport } from "../../gateway/src/domain/reports/promotions";
import { type TiersReport, tiersReport } from "../../gateway/src/domain/reports/tiers";
import type { KpiView, PromotionBar, TierMix } from "../pages/reports";
import type { ReportRange } from "./reports-range";

/**
 * The figures the reports page draws, from the API's own reports: the KPI report (roll-ups plus the journal after
 * them, so always the journal's figures), the promotions report and the tiers report. The program is one the
 * partner owns (checked first).
 */

/** The KPI report of a range, as the API answers it (its CSV is the chart's). */
export const kpisOf = (deps: Pick<Deps, "db" | "reader" | "clock">, program: Program, range: ReportRange) =>
  kpiReport(deps, program.id, range);

/** The KPI report as the charts draw it: points earned, burned and redeemed, and active members, a bucket each. */
export function kpiView(report: KpiReport): KpiView {
  const buckets = bucketsOf(report.from, report.to, report.interval);
  const figures = (row: KpiReport["totals"]) => ({
    earned: row.points_earned,
    spent: row.points_burned + row.points_redeemed,
    active: row.active_members,
  });
  return {
    buckets: report.series.map((row, index) => ({
      bucket: buckets[index]?.bucket ?? row.start,
      start: row.start,
      end: row.end,
      whole: buckets[index]?.whole ?? true,
      ...figures(row),
    })),
    totals: figures(report.totals),
  };
}

/** The tiers report of the range, for the partner that owns the program (its CSV is the chart's). */
export const tiersOf = (
  deps: Pick<Deps, "db" | "reader" | "clock">,
  partnerId: string,
  program: Program,
  range: ReportRange,
) => tiersReport(deps, { partnerId }, program.id, range);

/** The tier mix the chart draws: each tier's members at the end of the range. */
export const tierMix = (report: TiersReport): TierMix =>
  report.tiers.map((tier) => ({ key: tier.key, name: tier.name, members: tier.members_at_end }));

/** The promotions report of the range, for the partner that owns the program (its CSV is the chart's). */
export const promotionsOf = (
  deps: Pick<Deps, "db" | "reader" | "clock">,
  partnerId: string,
  program: Program,
  range: ReportRange,
) => promotionsReport(deps, { partnerId }, program.id, range);

/** The promotions that awarded bonus points in the range, most points first: the chart's bars. */
export const promotionBars = (report: PromotionsReport): PromotionBar[] =>
  report.promotions
    .filter((promotion) => promotion.awards_in_range > 0)
    .map((promotion) => ({
      id: promotion.promotion_id,
      name: promotion.name,
      points: promotion.points_awarded_in_range,
      awards: promotion.awards_in_range,
    }))
    .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name));
