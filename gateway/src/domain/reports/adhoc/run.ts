import { runAdhoc } from "../../../db/queries/adhoc-run";
import { compileRule } from "../../../db/queries/segment-rules";
import type { Deps } from "../../../deps";
import { ApiError } from "../../../errors";
import type { Caller } from "../../programs";
import { ruleProblems } from "../../segments/segments";
import type { ReportCell } from "../csv";
import { addDays, type LocalRange, reportRange } from "../range";
import { datasets } from "./datasets";
import { filterFieldsOf, type ReportDefinition } from "./definition";
import { managedDefinition } from "./definitions";
import { offsetChanges } from "./offsets";

/** The most groups a run answers; past them it says `truncated`. */
export const maxReportRows = 10_000;

/** The longest range a run covers: ten years of local days. */
export const maxRangeDays = 3_660;

/** A saved report run over a range: the columns (dimensions, then measures) and a row per group. */
export type ReportRun = {
  definition: ReportDefinition;
  range: LocalRange;
  columns: string[];
  rows: Record<string, ReportCell>[];
  truncated: boolean;
};

/**
 * The dimensions a run groups by: the definition's, with the time dimension of its `interval` first unless it lists
 * that one already (so `interval: "month"` is `dimensions: ["month", ...]`, and listing `month` too changes nothing).
 */
export function dimensionsOf(definition: Pick<ReportDefinition, "dataset" | "dimensions" | "interval">): string[] {
  if (!definition.interval) return definition.dimensions;
  const time = datasets[definition.dataset].intervals[definition.interval];
  return definition.dimensions.includes(time) ? definition.dimensions : [time, ...definition.dimensions];
}

/**
 * The filters as SQL over the dataset's rows, checked again first: a segment they name may have been deleted since
 * they were saved (409 `invalid_state`, naming it; a saved report never quietly answers for no one).
 */
async function filterSql(deps: Pick<Deps, "db" | "clock">, definition: ReportDefinition) {
  if (!definition.filters) return null;
  const { extra, columns } = filterFieldsOf(definition.dataset);
  const checked = await ruleProblems(deps, definition.programId, definition.filters, { at: "filters", extra, columns });
  const [problem] = checked.problems;
  if (problem)
    throw new ApiError(
      "invalid_state",
      `The filters of report definition ${definition.id} no longer hold: ${problem.path} ${problem.message}. Change them with PATCH /v1/report-definitions/${definition.id}.`,
      { errors: checked.problems },
    );
  const { timed: _, ...where } = compileRule(checked.rule, deps.clock.now(), checked.known, columns);
  return where;
}

/**
 * Runs a saved report over the local days `from` to `to` of its program's zone (the last 30 days by default; at
 * most ten years): the dataset's rows of the program whose time falls in the range and that meet the filters,
 * grouped by the dimensions (ordered by them, nulls first; only groups with rows), each with its measures. No
 * dimension: one row of totals. At most 10,000 groups, `truncated` saying whether there were more.
 */
export async function runReportDefinition(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  id: string,
  query: { from?: string; to?: string },
): Promise<ReportRun> {
  const { definition, program } = await managedDefinition(deps, caller, id);
  const range = reportRange(query, program.timezone, deps.clock.now());
  if (range.to > addDays(range.from, maxRangeDays - 1))
    throw new ApiError("validation_failed", `A report covers at most ${maxRangeDays} days.`, {
      errors: [{ path: "to", message: `must be within ${maxRangeDays} days of from (${range.from})` }],
    });
  const since = range.since.getTime();
  const until = range.until.getTime();
  const dimensions = dimensionsOf(definition);
  const rows = await runAdhoc(deps.reader, datasets[definition.dataset].query, {
    programId: program.id,
    since,
    until,
    offsets: offsetChanges(program.timezone, since, until),
    dimensions,
    measures: definition.measures,
    where: await filterSql(deps, definition),
    limit: maxReportRows + 1,
  });
  return {
    definition,
    range,
    columns: [...dimensions, ...definition.measures],
    rows: rows.slice(0, maxReportRows),
    truncated: rows.length > maxReportRows,
  };
}
