import { type GroupTotals, sumPromotionGroups } from "../../db/queries/promotion-performance";
import type { Deps } from "../../deps";
import type { Caller, Program } from "../programs";
import { lineAmountMinor } from "../settlement/money";
import type { Promotion } from "./definition";
import { managedPromotion } from "./owned";
import { type GroupSums, incrementalSpend, meanOf, roi, upliftInterval95, upliftPct } from "./uplift";

/** Money in minor units of a currency. */
export type Money = { amountMinor: number; currency: string };

type Group = { members: number; earns: number; spendMinor: number };

/**
 * How a promotion did: what its treatment group (exposed, paid) and its control group (held out) earned and spent
 * since each member's exposure, the uplift of spend per member with its 95% interval, what it cost at the
 * program's issue price, and the return on that cost.
 */
export type PromotionPerformance = {
  promotionId: string;
  treatment: Group & { pointsAwarded: number };
  control: Group;
  spendPerMember: { treatment: number | null; control: number | null };
  upliftPct: number | null;
  upliftCi95: [number, number] | null;
  incrementalSpendMinor: number | null;
  budget: { points: number | null; used: number };
  cost: Money;
  roi: number | null;
};

const noGroup: GroupSums & Group = { members: 0, earns: 0, spendMinor: 0, sum: 0, sumOfSquares: 0 };

/** One group's totals as the statistics and the answer read them; an empty group when nobody is in it. */
export function groupOf(totals: readonly GroupTotals[], promotionId: string, group: GroupTotals["group"]) {
  const found = totals.find((row) => row.promotionId === promotionId && row.group === group);
  if (!found) return noGroup;
  const { members, earns, spendMinor, spendSquares } = found;
  return { members, earns, spendMinor, sum: spendMinor, sumOfSquares: spendSquares };
}

/** Points at the program's issue price, rounded once as a settlement statement's line is (half to even). */
export const costOf = (points: number, program: Pick<Program, "issuePriceMicros" | "settlementCurrency">): Money => ({
  amountMinor: lineAmountMinor(points, program.issuePriceMicros, program.settlementCurrency),
  currency: program.settlementCurrency,
});

/**
 * The performance of `promotion` (of `program`) as of now. Points awarded are the promotion's own count, gross:
 * reversals of the earns that caused awards do not give budget back, and the cost is of what was paid.
 */
export async function measurePromotion(
  deps: Pick<Deps, "reader">,
  promotion: Pick<Promotion, "id" | "pointsAwarded" | "budgetPoints">,
  program: Pick<Program, "issuePriceMicros" | "settlementCurrency">,
): Promise<PromotionPerformance> {
  return performanceOf(promotion, program, await sumPromotionGroups(deps.reader, { promotionId: promotion.id }));
}

/**
 * The performance of `promotion` from its groups' totals as `sumPromotionGroups` read them (for it alone, or for
 * many promotions at once: the program's promotions report reads them all in one query).
 */
export function performanceOf(
  promotion: Pick<Promotion, "id" | "pointsAwarded" | "budgetPoints">,
  program: Pick<Program, "issuePriceMicros" | "settlementCurrency">,
  totals: readonly GroupTotals[],
): PromotionPerformance {
  const treatment = groupOf(totals, promotion.id, "treatment");
  const control = groupOf(totals, promotion.id, "control");
  const cost = costOf(promotion.pointsAwarded, program);
  const incremental = incrementalSpend(treatment, control);
  return {
    promotionId: promotion.id,
    treatment: {
      members: treatment.members,
      earns: treatment.earns,
      spendMinor: treatment.spendMinor,
      pointsAwarded: promotion.pointsAwarded,
    },
    control: { members: control.members, earns: control.earns, spendMinor: control.spendMinor },
    spendPerMember: { treatment: meanOf(treatment), control: meanOf(control) },
    upliftPct: upliftPct(treatment, control),
    upliftCi95: upliftInterval95(treatment, control),
    incrementalSpendMinor: incremental,
    budget: { points: promotion.budgetPoints, used: promotion.pointsAwarded },
    cost,
    roi: roi(incremental, cost.amountMinor),
  };
}

/** A promotion's performance for its program's owner and the operator (403 or 404 for others, as managing it). */
export async function promotionPerformance(
  deps: Pick<Deps, "db" | "reader">,
  caller: Caller,
  id: string,
): Promise<PromotionPerformance> {
  const { promotion, program } = await managedPromotion(deps, caller, id);
  return measurePromotion(deps, promotion, program);
}
