import { z } from "@hono/zod-openapi";
import { datasetNames } from "../../domain/reports/adhoc/datasets";
import { maxRangeDays, maxReportRows, type ReportRun } from "../../domain/reports/adhoc/run";
import { programReportHead, rangeDescription } from "../reports/range";

/** How a run reads, for the JSON and the CSV alike. */
export const runDescription =
  "The definition's dataset rows of its program whose time (transactions and redemptions `created_at`, members " +
  "their enrolment, touchpoints `occurred_at`) falls in the range and that meet its filters, grouped by its " +
  "dimensions (the `interval`'s time dimension first), each group with its measures. Only groups with rows appear, " +
  "ordered by the dimensions in their order (null first); with no dimension, one row of totals. Time dimensions read " +
  "as their bucket's first local day, YYYY-MM-DD (a week's Monday, a month's 1st). Member facts (tier, balance, RFM " +
  "segment, a filter's days_since_*) are as they are now. At most " +
  `${maxReportRows.toLocaleString("en")} rows (\`truncated\` says when there were more) and ${maxRangeDays} days. ` +
  "409 `invalid_state` when the filters name a segment deleted since they were saved.";

export const runRangeDescription = rangeDescription;

export const ReportRunSchema = z
  .object({
    definition_id: z.string().openapi({ example: "rpt_01jdz5k2m4n6p8r0t2v4x6z8b0" }),
    ...programReportHead,
    dataset: z.enum(datasetNames),
    columns: z.array(z.string()).openapi({
      description: "The rows' fields in order: the dimensions, then the measures",
      example: ["month", "channel", "count", "points"],
    }),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))).openapi({
      description:
        "A row per group, keyed by the column names: dimensions as text (null where the row has no value), " +
        "measures as numbers (a mean of nothing null)",
      example: [
        { month: "2026-11-01", channel: "store", count: 412, points: 38_950 },
        { month: "2026-11-01", channel: "web", count: 120, points: 9_800 },
      ],
    }),
    truncated: z.boolean().openapi({ description: `Whether there were more than ${maxReportRows} groups` }),
  })
  .openapi("ReportRun");

export const toReportRun = (run: ReportRun) =>
  ReportRunSchema.parse({
    definition_id: run.definition.id,
    program_id: run.definition.programId,
    timezone: run.range.timezone,
    from: run.range.from,
    to: run.range.to,
    dataset: run.definition.dataset,
    columns: run.columns,
    rows: run.rows,
    truncated: run.truncated,
  });
