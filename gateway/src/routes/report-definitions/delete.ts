import { createRoute, z } from "@hono/zod-openapi";
import { deleteReportDefinition } from "../../domain/reports/adhoc/definitions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ReportDefinitionIdParam } from "./schemas";

const DeletedReportDefinitionSchema = z
  .object({ id: z.string(), object: z.literal("report_definition"), deleted: z.literal(true) })
  .openapi("DeletedReportDefinition");

export const route = createRoute({
  method: "delete",
  path: "/v1/report-definitions/{id}",
  operationId: "deleteReportDefinition",
  tags: ["Reports"],
  summary: "Delete a saved ad-hoc report",
  description: "For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ReportDefinitionIdParam },
  responses: {
    200: { description: "Deleted", content: { "application/json": { schema: DeletedReportDefinitionSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type DeleteReportDefinitionRequest = OperationRequest<typeof route>;
export type DeleteReportDefinitionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const definition = await deleteReportDefinition(c.get("deps"), caller, c.req.valid("param").id);
    return c.json({ id: definition.id, object: "report_definition" as const, deleted: true as const }, 200);
  });
