import { createRoute } from "@hono/zod-openapi";
import { getReportDefinition } from "../../domain/reports/adhoc/definitions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ReportDefinitionIdParam, ReportDefinitionSchema, toReportDefinition } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/report-definitions/{id}",
  operationId: "getReportDefinition",
  tags: ["Reports"],
  summary: "Get a saved ad-hoc report",
  description: "For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ReportDefinitionIdParam },
  responses: {
    200: { description: "The report definition", content: { "application/json": { schema: ReportDefinitionSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetReportDefinitionRequest = OperationRequest<typeof route>;
export type GetReportDefinitionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toReportDefinition(await getReportDefinition(c.get("deps"), caller, c.req.valid("param").id)), 200);
  });
