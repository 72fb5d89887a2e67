import { createRoute } from "@hono/zod-openapi";
import { runReportDefinition } from "../../domain/reports/adhoc/run";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ReportRangeQuery } from "../reports/range";
import { ReportRunSchema, runDescription, runRangeDescription, toReportRun } from "./run-schemas";
import { ReportDefinitionIdParam } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/report-definitions/{id}/run",
  operationId: "runReportDefinition",
  tags: ["Reports"],
  summary: "Run a saved ad-hoc report over a range",
  description: `${runDescription} For the program's owner and the operator.\n\n${runRangeDescription}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ReportDefinitionIdParam, query: ReportRangeQuery },
  responses: {
    200: { description: "The report's rows", content: { "application/json": { schema: ReportRunSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export type RunReportDefinitionRequest = OperationRequest<typeof route>;
export type RunReportDefinitionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const run = await runReportDefinition(c.get("deps"), caller, c.req.valid("param").id, c.req.valid("query"));
    return c.json(toReportRun(run), 200);
  });
