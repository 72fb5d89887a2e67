import { createRoute } from "@hono/zod-openapi";
import { listProgramsPage } from "../../db/queries/programs";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { ProgramSchema, toProgram } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs",
  operationId: "listPrograms",
  tags: ["Programs"],
  summary: "List programs",
  description: "The operator sees every program; a partner sees the programs it has an agreement with.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("operator", "members:read")] as const,
  request: { query: ListQuerySchema },
  responses: {
    200: {
      description: "A page of programs",
      content: { "application/json": { schema: listOf(ProgramSchema, "ProgramList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListProgramsRequest = OperationRequest<typeof route>;
export type ListProgramsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    // A partner sees only the programs it has an agreement with; the operator sees every one.
    const result = await listProgramsPage(c.get("deps").db, c.req.valid("query"), c.get("principal")?.partnerId);
    return c.json({ ...result, data: result.data.map(toProgram) }, 200);
  });
