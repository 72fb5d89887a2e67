import type { PageQuery } from "../../db/queries/pages";
import {
  type DrilldownDimension,
  type DrilldownMeasure,
  type DrilldownRow,
  findPromotionNames,
  listSliceTransactions,
  type SliceBar,
  type SliceTotals,
  sumSlice,
  sumSliceBars,
} from "../../db/queries/report-drilldown";
import type { Deps } from "../../deps";
import type { Program } from "../programs";
import type { LocalRange } from "./range";

/**
 * A report bar's drill-down: the transactions of a program behind one bar of the portal's charts (a bucket of time
 * of points earned, spent or active members; a channel, store or promotion over the range), a page at a time, with
 * the totals of all of them, which are the bar. The bars of points by channel, store and promotion are summed here
 * from the same rows, so a bar and its list cannot disagree.
 */

export type { DrilldownDimension, DrilldownMeasure, DrilldownRow, SliceBar, SliceTotals };

/** What one bar counts: a measure over a range of local days, and perhaps one key of a dimension. */
export type DrilldownRequest = {
  measure: DrilldownMeasure;
  range: LocalRange;
  dimension?: { name: DrilldownDimension; key: string | null };
};

const sliceOf = (program: Program, request: DrilldownRequest) => ({
  programId: program.id,
  measure: request.measure,
  since: request.range.since,
  until: request.range.until,
  dimension: request.dimension,
});

/** A page of the transactions behind a bar, newest first, and the totals of the whole bar. */
export async function drilldownPage(
  deps: Pick<Deps, "reader">,
  program: Program,
  request: DrilldownRequest,
  page: PageQuery,
): Promise<{ totals: SliceTotals; page: { data: DrilldownRow[]; has_more: boolean } }> {
  const slice = sliceOf(program, request);
  const [totals, rows] = await Promise.all([
    sumSlice(deps.reader, slice),
    listSliceTransactions(deps.reader, slice, page),
  ]);
  return { totals, page: rows };
}

/** The totals of one bar: what it was drawn from. */
export const sliceTotals = (deps: Pick<Deps, "reader">, program: Program, request: DrilldownRequest) =>
  sumSlice(deps.reader, sliceOf(program, request));

/** A promotion's bar also has its name (null: the promotion is gone, which cannot happen while bonuses point to it). */
export type PromotionBar = SliceBar & { name: string | null };

/** Points earned by channel and by store, and promotion bonuses by promotion, over a range: each bar drills down. */
export type Breakdowns = { channels: SliceBar[]; stores: SliceBar[]; promotions: PromotionBar[] };

export async function reportBreakdowns(
  deps: Pick<Deps, "reader">,
  program: Program,
  range: LocalRange,
): Promise<Breakdowns> {
  const earned = sliceOf(program, { measure: "earned", range });
  const [channels, stores, promotions, names] = await Promise.all([
    sumSliceBars(deps.reader, earned, "channel"),
    sumSliceBars(deps.reader, earned, "store"),
    sumSliceBars(deps.reader, sliceOf(program, { measure: "promotion_bonus", range }), "promotion"),
    findPromotionNames(deps.reader, program.id),
  ]);
  return {
    channels,
    stores,
    promotions: promotions.map((bar) => ({ ...bar, name: bar.key === null ? null : (names.get(bar.key) ?? null) })),
  };
}

/** The name of a program's promotion, for a promotion bar's drill-down (null: no such promotion). */
export async function promotionName(deps: Pick<Deps, "reader">, program: Program, promotionId: string) {
  return (await findPromotionNames(deps.reader, program.id)).get(promotionId) ?? null;
}
