import { createRoute } from "@hono/zod-openapi";
import { createReportDefinition } from "../../domain/reports/adhoc/definitions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../segments/schemas";
import { CreateReportDefinitionBody, ReportDefinitionSchema, toReportDefinition } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/report-definitions",
  operationId: "createReportDefinition",
  tags: ["Reports"],
  summary: "Save an ad-hoc report",
  description:
    "A report over one dataset (`transactions`, `members`, `redemptions`, `touchpoints`): the dimensions it groups " +
    "by and the measures it figures, each from the dataset's documented list (never SQL), and filters in the segment " +
    "rule grammar over the dataset's fields. Run it with GET /v1/report-definitions/{id}/run. Every problem is " +
    "answered at once at its path (`dimensions[1]`, `filters.all[0].field`), and nothing is saved then. For the " +
    "program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: CreateReportDefinitionBody } } },
  },
  responses: {
    201: {
      description: "The saved report definition",
      content: { "application/json": { schema: ReportDefinitionSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type CreateReportDefinitionRequest = OperationRequest<typeof route>;
export type CreateReportDefinitionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const definition = await createReportDefinition(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      { ...body, filters: body.filters ?? null, interval: body.interval ?? null },
    );
    return c.json(toReportDefinition(definition), 201);
  });
