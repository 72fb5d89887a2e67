import { createRoute, z } from "@hono/zod-openapi";
import { runReportDefinition } from "../../domain/reports/adhoc/run";
import { reportCsv } from "../../domain/reports/csv";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { csvDescription, csvDownload, ReportRangeQuery } from "../reports/range";
import { runDescription, runRangeDescription } from "./run-schemas";
import { ReportDefinitionIdParam } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/report-definitions/{id}/run.csv",
  operationId: "downloadReportDefinitionRun",
  tags: ["Reports"],
  summary: "Download a saved ad-hoc report's run as CSV",
  description:
    `The rows of GET /v1/report-definitions/{id}/run as CSV: the header is its \`columns\`. ${csvDescription} ` +
    `\`Report-Truncated\` says whether rows were left out. ${runDescription} For the program's owner and the ` +
    `operator.\n\n${runRangeDescription}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ReportDefinitionIdParam, query: ReportRangeQuery },
  responses: {
    200: {
      description: "The report's rows",
      headers: {
        "Report-Truncated": {
          description: "Whether there were more groups than the run answers",
          schema: { type: "string", enum: ["true", "false"] },
        },
      },
      content: { "text/csv; charset=utf-8": { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export type DownloadReportDefinitionRunRequest = OperationRequest<typeof route>;
export type DownloadReportDefinitionRunResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const run = await runReportDefinition(c.get("deps"), caller, c.req.valid("param").id, c.req.valid("query"));
    const file = csvDownload(
      reportCsv(run.columns, run.rows),
      `${run.definition.id}-${run.range.from}-${run.range.to}`,
    );
    return c.body(file.body, 200, { ...file.headers, "Report-Truncated": String(run.truncated) });
  });
