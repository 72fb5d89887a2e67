import { z } from "@hono/zod-openapi";
import {
  type AnyCatalogue,
  type DatasetName,
  datasetNames,
  datasets,
  namesOf,
} from "../../domain/reports/adhoc/datasets";
import type { ReportDefinition } from "../../domain/reports/adhoc/definition";
import { ops } from "../../domain/segments/rule";

export const ReportDefinitionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "rpt_01jdz5k2m4n6p8r0t2v4x6z8b0" }),
});

export const IntervalSchema = z.enum(["day", "week", "month"]).openapi("ReportInterval", {
  description:
    "Adds the dataset's time dimension of that bucket (`day`, `week`, `month`; for members `enrolled_day`...) as " +
    "the first dimension, unless `dimensions` lists it already. Other time dimensions listed stay: `interval: week` " +
    "with `month` among the dimensions splits a week that spans two months into a row for each.",
});

const nameSchema = z.string().trim().min(1).max(200).openapi({ example: "Monthly points by channel" });

/** A markdown list of names and what each means. */
const listed = (record: Readonly<Record<string, string>>) =>
  Object.entries(record)
    .map(([name, meaning]) => `- \`${name}\`: ${meaning}`)
    .join("\n");

const pascal = (dataset: string) => `${dataset[0]?.toUpperCase()}${dataset.slice(1)}`;

const filtersDescription = (dataset: DatasetName, catalogue: AnyCatalogue) =>
  "A rule of the segment grammar (`{ all }`, `{ any }`, `{ not }` or `{ field, op, value }`; ops " +
  `${ops.join(", ")}) over the ${dataset} rows. Fields: every field of a segment rule, about the member the row ` +
  (Object.keys(catalogue.filters).length === 0
    ? "is (tier, locale, balance.available, lifetime_earned, days_since_*, rfm.*, segment, attributes.<key>)."
    : "concerns (tier, locale, balance.available, lifetime_earned, days_since_*, rfm.*, segment, attributes.<key>), " +
      `and the ${dataset} fields:\n${listed(catalogue.filters)}`);

/** The enums of one dataset's dimensions and measures, named in the document with what each means. */
function datasetEnums<const D extends string, const M extends string>(
  dataset: DatasetName,
  catalogue: { dimensions: Record<D, string>; measures: Record<M, string> },
) {
  return {
    Dimension: z.enum(namesOf(catalogue.dimensions)).openapi(`${pascal(dataset)}ReportDimension`, {
      description: `A dimension of the ${dataset} dataset:\n${listed(catalogue.dimensions)}`,
    }),
    Measure: z.enum(namesOf(catalogue.measures)).openapi(`${pascal(dataset)}ReportMeasure`, {
      description: `A measure of the ${dataset} dataset:\n${listed(catalogue.measures)}`,
    }),
  };
}

const enums = {
  transactions: datasetEnums("transactions", datasets.transactions),
  members: datasetEnums("members", datasets.members),
  redemptions: datasetEnums("redemptions", datasets.redemptions),
  touchpoints: datasetEnums("touchpoints", datasets.touchpoints),
};

const FiltersSchema = (dataset: DatasetName) =>
  z.record(z.string(), z.unknown()).openapi({ description: filtersDescription(dataset, datasets[dataset]) });

/** The fields of a definition of one dataset, as written and as answered. */
const definitionFields = <const N extends DatasetName>(dataset: N) => ({
  name: nameSchema,
  dataset: z.literal(dataset).openapi({ description: datasets[dataset].description }),
  dimensions: z.array(enums[dataset].Dimension).openapi({
    description: "What to group by, in this order (none: one row of totals); each at most once",
  }),
  measures: z.array(enums[dataset].Measure).min(1).openapi({ description: "What to figure per group; at least one" }),
});

const createBody = <const N extends DatasetName>(dataset: N) =>
  z
    .object({
      ...definitionFields(dataset),
      filters: FiltersSchema(dataset).nullable().optional(),
      interval: IntervalSchema.nullable().optional(),
    })
    .strict()
    .openapi(`Create${pascal(dataset)}ReportDefinition`);

export const CreateReportDefinitionBody = z
  .discriminatedUnion("dataset", [
    createBody("transactions"),
    createBody("members"),
    createBody("redemptions"),
    createBody("touchpoints"),
  ])
  .openapi("CreateReportDefinition", {
    example: {
      name: "Monthly points by channel, gold members",
      dataset: "transactions",
      dimensions: ["channel"],
      measures: ["count", "points", "members"],
      filters: {
        all: [
          { field: "type", op: "eq", value: "earn" },
          { field: "tier", op: "eq", value: "gold" },
        ],
      },
      interval: "month",
    },
  });

const allNames = (list: "dimensions" | "measures") => [
  ...new Set(Object.values(datasets).flatMap((catalogue) => Object.keys(catalogue[list]))),
];

export const UpdateReportDefinitionBody = z
  .object({
    name: nameSchema.optional(),
    dataset: z.enum(datasetNames).optional(),
    dimensions: z
      .array(z.enum(allNames("dimensions") as [string, ...string[]]))
      .optional()
      .openapi({ description: "A dimension of the dataset (see CreateReportDefinition's per dataset)" }),
    measures: z
      .array(z.enum(allNames("measures") as [string, ...string[]]))
      .min(1)
      .optional()
      .openapi({ description: "Measures of the dataset (see CreateReportDefinition's per dataset)" }),
    filters: z.record(z.string(), z.unknown()).nullable().optional().openapi({
      description: "The new filters (null: none); fields as for the dataset in CreateReportDefinition",
    }),
    interval: IntervalSchema.nullable().optional(),
  })
  .strict()
  .openapi("UpdateReportDefinition", { example: { name: "Monthly points by channel" } });

const answered = <const N extends DatasetName>(dataset: N) =>
  z
    .object({
      id: z.string().openapi({ example: "rpt_01jdz5k2m4n6p8r0t2v4x6z8b0" }),
      program_id: z.string(),
      ...definitionFields(dataset),
      filters: FiltersSchema(dataset).nullable(),
      interval: IntervalSchema.nullable(),
      created_at: z.iso.datetime(),
      updated_at: z.iso.datetime(),
    })
    .openapi(`${pascal(dataset)}ReportDefinition`);

export const ReportDefinitionSchema = z
  .discriminatedUnion("dataset", [
    answered("transactions"),
    answered("members"),
    answered("redemptions"),
    answered("touchpoints"),
  ])
  .openapi("ReportDefinition");

export const toReportDefinition = (definition: ReportDefinition) =>
  ReportDefinitionSchema.parse({
    id: definition.id,
    program_id: definition.programId,
    name: definition.name,
    dataset: definition.dataset,
    dimensions: definition.dimensions,
    measures: definition.measures,
    filters: definition.filters,
    interval: definition.interval,
    created_at: definition.createdAt.toISOString(),
    updated_at: definition.updatedAt.toISOString(),
  });
