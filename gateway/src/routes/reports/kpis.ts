import { createRoute, z } from "@hono/zod-openapi";
import { pointsFigureNames } from "../../db/queries/report-rollups";
import { reportTableCsv } from "../../domain/reports/csv";
import { type KpiReport, kpiIntervals, kpiTables, managedKpiReport, maxKpiRangeDays } from "../../domain/reports/kpis";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../tiers/schemas";
import {
  csvDescription,
  csvDownload,
  programReportHead,
  ReportRangeQuery,
  rangeDescription,
  reportCsvQuery,
} from "./range";

const interval = {
  interval: z
    .enum(kpiIntervals)
    .optional()
    .openapi({
      description:
        "The buckets of the series: local days (the default), ISO weeks (Monday to Sunday) or calendar months of " +
        "the program's zone",
      example: "month",
    }),
};

const points = (description: string) => z.number().int().openapi({ description });

/** What each figure counts, in the bucket's local days. */
const figures = {
  new_members: points("Members enrolled"),
  active_members: points(
    "Distinct members with an earn, burn, catalogue redemption, conversion (out, or in to them) or transfer (sent " +
      "or received) of their own; not bonuses, expiries, adjustments, reversals or held operations until they complete",
  ),
  points_earned: points("Points earned, less the earns' reversals made in the bucket"),
  bonus_points: points("Bonus points (tier, upgrade, promotion, referral), less their reversals made in the bucket"),
  points_burned: points(
    "Points burned, not for catalogue orders, less burns' reversals made in the bucket; a held burn counts when approved",
  ),
  points_redeemed: points(
    "Points paid for catalogue orders (placed, or approved after a review), less orders cancelled or returned in the bucket",
  ),
  points_converted_in: points("Points credited to members by conversions from other programs"),
  points_converted_out: points("Points converted to other programs (a held conversion counts when approved)"),
  points_transferred: points(
    "Points members sent to other members, fees included (a held transfer counts when approved)",
  ),
  points_expired: points("Points expired"),
  points_adjusted: points("Points of the owner's adjustments, signed: credits less debits"),
  redemption_rate: z
    .number()
    .nullable()
    .openapi({
      description:
        "(points_burned + points_redeemed + points_converted_out) ÷ points_earned, rounded to 4 decimals; null when " +
        "nothing was earned (points_earned 0 or less)",
      example: 0.4125,
    }),
} satisfies Record<keyof KpiReport["totals"], z.ZodType>;

const KpiRowSchema = z.object({
  start: z.iso.date().openapi({ description: "The bucket's first local date in the range", example: "2026-11-01" }),
  end: z.iso
    .date()
    .openapi({ description: "The bucket's last local date in the range (included)", example: "2026-11-30" }),
  ...figures,
});

const KpiReportSchema = z
  .object({
    ...programReportHead,
    interval: z.enum(kpiIntervals),
    series: z.array(KpiRowSchema).openapi({
      description:
        "A row per day, ISO week or month the range touches, oldest first, empty ones included. The first and the " +
        "last are clipped to the range: a week or month the range starts or ends inside counts only its days in the " +
        "range (`start` and `end` say which)",
    }),
    totals: z.object(figures).openapi({
      description:
        "The range's: the series' sums, but `active_members` (distinct over the whole range) and `redemption_rate` " +
        "(the range's)",
    }),
  })
  .openapi("KpiReport");

const toKpiReport = (report: KpiReport) => KpiReportSchema.parse(report);

const tables = Object.keys(kpiTables) as [keyof typeof kpiTables, ...(keyof typeof kpiTables)[]];

const what =
  "A program's KPIs by local day, ISO week or month: members enrolled and active, and the points earned, given as " +
  `bonuses, burned, redeemed in the catalogue, converted in and out, transferred, expired and adjusted (` +
  `${pointsFigureNames.length} figures), with the redemption rate, and the range's totals. Each figure is what the ` +
  "journal says for its days: a movement counts in the local day it was written; a reversal counts in the day it " +
  "was made, taken from the figure of what it reverses (a cancelled or returned order from `points_redeemed`); held " +
  "operations count when their review approves them. Rolled up by the scheduled jobs and completed from the journal " +
  "at request time, so the answer is exact whenever it is asked. At most " +
  `${maxKpiRangeDays.day} days with \`interval=day\`, ${maxKpiRangeDays.week} with \`week\` or \`month\` (400 ` +
  "naming `to`). For the program's owner (`programs:manage`) and the operator.";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/reports/kpis",
  operationId: "getKpiReport",
  tags: ["Reports"],
  summary: "Get a program's KPIs by day, week or month",
  description: `${what}\n\n${rangeDescription}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam, query: ReportRangeQuery.extend(interval).strict() },
  responses: {
    200: { description: "The KPIs", content: { "application/json": { schema: KpiReportSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const csvRoute = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/reports/kpis.csv",
  operationId: "downloadKpiReportCsv",
  tags: ["Reports"],
  summary: "Download a program's KPIs as CSV",
  description:
    `The KPI report's \`series\` (a row per bucket) or, with \`table=totals\`, its one row of totals. ${csvDescription}` +
    `\n\n${what}\n\n${rangeDescription}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam, query: reportCsvQuery(tables).extend(interval).strict() },
  responses: {
    200: { description: "The table", content: { "text/csv; charset=utf-8": { schema: z.string() } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type GetKpiReportRequest = OperationRequest<typeof route>;
export type GetKpiReportResponse = OperationResponse<typeof route>;
export type DownloadKpiReportCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadKpiReportCsvResponse = OperationResponse<typeof csvRoute>;

export const register = (app: ReturnType<typeof createRouter>) => {
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const report = await managedKpiReport(c.get("deps"), caller, c.req.valid("param").program_id, c.req.valid("query"));
    return c.json(toKpiReport(report), 200);
  });
  app.openapi(csvRoute, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { table, ...query } = c.req.valid("query");
    const report = toKpiReport(await managedKpiReport(c.get("deps"), caller, c.req.valid("param").program_id, query));
    const file = csvDownload(
      reportTableCsv(kpiTables, { series: report.series, totals: [report.totals] }, table),
      `${report.program_id}-kpis-${report.interval}-${table}-${report.from}-${report.to}`,
    );
    return c.body(file.body, 200, file.headers);
  });
};
