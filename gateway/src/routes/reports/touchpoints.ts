import { createRoute, z } from "@hono/zod-openapi";
import { reportTableCsv } from "../../domain/reports/csv";
import { type TouchpointsReport, touchpointsReport, touchpointsTables } from "../../domain/reports/touchpoints";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../tiers/schemas";
import { TouchpointChannel, TouchpointDirection, TouchpointReason } from "../touchpoints/schemas";
import {
  csvDescription,
  csvDownload,
  programReportHead,
  ReportRangeQuery,
  rangeDescription,
  reportCsvQuery,
} from "./range";

const tally = {
  touchpoints: z.number().int().openapi({ description: "Contacts that occurred in the range" }),
  rated: z.number().int().openapi({ description: "Of them, those the member rated" }),
  mean_rating: z
    .number()
    .nullable()
    .openapi({ description: "The mean of their ratings (1..5), unrounded; null when none was rated", example: 4.25 }),
};

const TouchpointsReportSchema = z
  .object({
    ...programReportHead,
    totals: z.object(tally),
    channels: z
      .array(z.object({ channel: TouchpointChannel, ...tally }))
      .openapi({ description: "Every channel, in the API's order, 0 included" }),
    reasons: z
      .array(z.object({ reason: TouchpointReason, ...tally }))
      .openapi({ description: "Every reason, in the API's order, 0 included" }),
    groups: z
      .array(
        z.object({ channel: TouchpointChannel, reason: TouchpointReason, direction: TouchpointDirection, ...tally }),
      )
      .openapi({ description: "Each channel, reason and direction that had contacts, by channel, reason, direction" }),
  })
  .openapi("TouchpointsReport");

const toTouchpointsReport = (report: TouchpointsReport) => TouchpointsReportSchema.parse(report);

const tables = Object.keys(touchpointsTables) as [
  keyof typeof touchpointsTables,
  ...(keyof typeof touchpointsTables)[],
];
const what =
  "A program's contacts with its members (`occurred_at` in the range): per channel, reason and direction, per " +
  "channel and per reason, and in all, each with how many were rated and the mean rating. For the program's owner " +
  "(`programs:manage`) and the operator.";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/reports/touchpoints",
  operationId: "getTouchpointsReport",
  tags: ["Reports"],
  summary: "Get a program's touchpoints report",
  description: `${what}\n\n${rangeDescription}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam, query: ReportRangeQuery },
  responses: {
    200: { description: "The report", content: { "application/json": { schema: TouchpointsReportSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const csvRoute = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/reports/touchpoints.csv",
  operationId: "downloadTouchpointsReportCsv",
  tags: ["Reports"],
  summary: "Download a table of a program's touchpoints report as CSV",
  description: `One table of the touchpoints report (\`table\`: ${tables.join(", ")}). ${csvDescription}\n\n${rangeDescription}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam, query: reportCsvQuery(tables) },
  responses: {
    200: { description: "The table", content: { "text/csv; charset=utf-8": { schema: z.string() } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type GetTouchpointsReportRequest = OperationRequest<typeof route>;
export type GetTouchpointsReportResponse = OperationResponse<typeof route>;
export type DownloadTouchpointsReportCsvRequest = OperationRequest<typeof csvRoute>;
export type DownloadTouchpointsReportCsvResponse = OperationResponse<typeof csvRoute>;

export const register = (app: ReturnType<typeof createRouter>) => {
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.var.principal?.partnerId ?? null };
    const report = await touchpointsReport(c.var.deps, caller, c.req.valid("param").program_id, c.req.valid("query"));
    return c.json(toTouchpointsReport(report), 200);
  });
  app.openapi(csvRoute, async (c) => {
    const caller = { partnerId: c.var.principal?.partnerId ?? null };
    const { table, ...range } = c.req.valid("query");
    const report = toTouchpointsReport(
      await touchpointsReport(c.var.deps, caller, c.req.valid("param").program_id, range),
    );
    const file = csvDownload(
      reportTableCsv(touchpointsTables, report, table),
      `${report.program_id}-touchpoints-${table}-${report.from}-${report.to}`,
    );
    return c.body(file.body, 200, file.headers);
  });
};
