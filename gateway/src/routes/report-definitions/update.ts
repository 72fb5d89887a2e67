import { createRoute } from "@hono/zod-openapi";
import { updateReportDefinition } from "../../domain/reports/adhoc/definitions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import {
  ReportDefinitionIdParam,
  ReportDefinitionSchema,
  toReportDefinition,
  UpdateReportDefinitionBody,
} from "./schemas";

export const route = createRoute({
  method: "patch",
  path: "/v1/report-definitions/{id}",
  operationId: "updateReportDefinition",
  tags: ["Reports"],
  summary: "Update a saved ad-hoc report",
  description:
    "The fields given replace the saved ones (`filters` or `interval` null drops them), and the result is checked " +
    "whole as a new definition is: a new `dataset` needs dimensions, measures and filters it offers. Every problem " +
    "is answered at its path, and nothing changes then.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ReportDefinitionIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateReportDefinitionBody } } },
  },
  responses: {
    200: {
      description: "The report definition as it is now",
      content: { "application/json": { schema: ReportDefinitionSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type UpdateReportDefinitionRequest = OperationRequest<typeof route>;
export type UpdateReportDefinitionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const definition = await updateReportDefinition(
      c.get("deps"),
      caller,
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json(toReportDefinition(definition), 200);
  });
