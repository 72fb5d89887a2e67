import { createRoute } from "@hono/zod-openapi";
import { inArray } from "drizzle-orm";
import { both, pageBy } from "../../db/queries/pages";
import { agreements, programs } from "../../db/schema";
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
  security: [{ bearerAuth: [] }],
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
    const { db } = c.var.deps;
    const partnerId = c.var.principal?.partnerId;
    const page = pageBy(programs.id, c.req.valid("query"));
    const visible = partnerId
      ? inArray(
          programs.id,
          db
            .selectDistinct({ id: agreements.programId })
            .from(agreements)
            .where(inArray(agreements.partnerId, [partnerId])),
        )
      : undefined;
    const rows = await db
      .select()
      .from(programs)
      .where(both(visible, page.where))
      .orderBy(page.orderBy)
      .limit(page.fetch);
    const result = page.page(rows);
    return c.json({ ...result, data: result.data.map(toProgram) }, 200);
  });
