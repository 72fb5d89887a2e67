import { createRoute } from "@hono/zod-openapi";
import { listSegments } from "../../domain/segments/segments";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { ProgramIdPathParam, SegmentSchema, toSegment } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/segments",
  operationId: "listSegments",
  tags: ["Segments"],
  summary: "List a program's segments",
  description: "Newest first, with cursor pagination. For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam, query: ListQuerySchema.strict() },
  responses: {
    200: {
      description: "A page of segments",
      content: { "application/json": { schema: listOf(SegmentSchema, "SegmentList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListSegmentsRequest = OperationRequest<typeof route>;
export type ListSegmentsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const page = await listSegments(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      c.req.valid("query"),
    );
    return c.json({ ...page, data: page.data.map(toSegment) }, 200);
  });
