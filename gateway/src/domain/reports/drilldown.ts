import type { PageQuery } from "../../db/queries/pages";
import {
  type DrilldownDimension,
  type DrilldownMeasure,
  type DrilldownRow,
  findPromotionName,
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
 * the totals of all of them, which are the bar. The bars of points by channel and store are summed here from the
 * same rows, so a bar and its list cannot disagree; the others come from the KPI and promotions reports, which
 * count alike.
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

/** Points earned by channel and by store over a range: each bar drills down. */
export type Breakdowns = { channels: SliceBar[]; stores: SliceBar[] };

export async function reportBreakdowns(
  deps: Pick<Deps, "reader">,
  program: Program,
  range: LocalRange,
): Promise<Breakdowns> {
  const earned = sliceOf(program, { measure: "earned", range });
  const [channels, stores] = await Promise.all([
    sumSliceBars(deps.reader, earned, "channel"),
    sumSliceBars(deps.reader, earned, "store"),
  ]);
  return { channels, stores };
}

/** The name of a program's promotion, for a promotion bar's drill-down (null: no such promotion). */
export async function promotionName(deps: Pick<Deps, "reader">, program: Program, promotionId: string) {
  return (await findPromotionName(deps.reader, program.id, promotionId)) ?? null;
}
