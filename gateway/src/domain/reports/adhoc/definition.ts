import type { Bucket } from "../../../db/queries/adhoc-run";
import type { DatasetName, ReportDefinitionRow } from "../../../db/queries/report-definitions";
import type { Rule } from "../../../db/queries/segment-rules";
import type { Deps } from "../../../deps";
import { ApiError } from "../../../errors";
import type { ExtraFields, RuleProblem } from "../../segments/rule";
import { ruleProblems } from "../../segments/segments";
import { datasets } from "./datasets";

/** What makes a saved ad-hoc report: a dataset, the dimensions it groups by, the measures it sums, its filters. */
export type DefinitionFields = {
  name: string;
  dataset: DatasetName;
  dimensions: string[];
  measures: string[];
  /** A rule of the segment grammar over the dataset's rows, or null for all of them. */
  filters: Rule | null;
  /** Adds the dataset's time dimension of this bucket first, unless `dimensions` already has it. */
  interval: Bucket | null;
};

export type ReportDefinition = DefinitionFields & {
  id: string;
  programId: string;
  createdAt: Date;
  updatedAt: Date;
};

/** The stored JSON of a definition's shape. */
type Stored = Pick<DefinitionFields, "dimensions" | "measures" | "filters" | "interval">;

export const storedShape = (fields: DefinitionFields): string =>
  JSON.stringify({
    dimensions: fields.dimensions,
    measures: fields.measures,
    filters: fields.filters,
    interval: fields.interval,
  } satisfies Stored);

export function definitionOf(row: ReportDefinitionRow): ReportDefinition {
  const stored = JSON.parse(row.definition) as Stored;
  return {
    id: row.id,
    programId: row.programId,
    name: row.name,
    dataset: row.dataset,
    dimensions: stored.dimensions,
    measures: stored.measures,
    filters: stored.filters,
    interval: stored.interval,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The filter fields a dataset adds to the segment grammar: what their values are, and their SQL. */
export function filterFieldsOf(dataset: DatasetName): { extra: ExtraFields; columns: Record<string, string> } {
  const filters = Object.entries(datasets[dataset].query.filters);
  return {
    extra: Object.fromEntries(filters.map(([name, column]) => [name, column.kind])),
    columns: Object.fromEntries(filters.map(([name, column]) => [name, column.sql])),
  };
}

/** Each name of `names` that the dataset does not offer, or that an earlier entry already named, at its index. */
function listProblems(dataset: DatasetName, list: "dimensions" | "measures", names: readonly string[]): RuleProblem[] {
  const offered = Object.keys(datasets[dataset][list]);
  return names.flatMap((name, index) => {
    if (!offered.includes(name))
      return [
        {
          path: `${list}[${index}]`,
          message: `is not a ${list.slice(0, -1)} of ${dataset}: one of ${offered.join(", ")}`,
        },
      ];
    const first = names.indexOf(name);
    return first < index ? [{ path: `${list}[${index}]`, message: `repeats ${list}[${first}] (${name})` }] : [];
  });
}

/**
 * 400 `validation_failed` unless every dimension and measure is one the dataset offers (once each) and the filters
 * are a rule of the segment grammar over the dataset's fields whose segments are the program's: every problem at its
 * path (`dimensions[1]`, `filters.all[0].field`). Answers the definition with its filters as a `Rule`.
 */
export async function checkedDefinition(
  deps: Pick<Deps, "db">,
  programId: string,
  fields: Omit<DefinitionFields, "filters"> & { filters: unknown },
): Promise<DefinitionFields> {
  const problems = [
    ...listProblems(fields.dataset, "dimensions", fields.dimensions),
    ...listProblems(fields.dataset, "measures", fields.measures),
  ];
  if (fields.filters !== null) {
    const { extra, columns } = filterFieldsOf(fields.dataset);
    const checked = await ruleProblems(deps, programId, fields.filters, { at: "filters", extra, columns });
    problems.push(...checked.problems);
  }
  if (problems.length > 0)
    throw new ApiError(
      "validation_failed",
      `The report definition is not valid: ${problems[0]?.path} ${problems[0]?.message}.`,
      { errors: problems },
    );
  return { ...fields, filters: fields.filters as Rule | null };
}
