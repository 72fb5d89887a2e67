import { createRoute } from "@hono/zod-openapi";
import { getSegment } from "../../domain/segments/segments";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { SegmentIdParam, SegmentSchema, toSegment } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/segments/{id}",
  operationId: "getSegment",
  tags: ["Segments"],
  summary: "Get a segment",
  description: "For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: SegmentIdParam },
  responses: {
    200: { description: "The segment", content: { "application/json": { schema: SegmentSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetSegmentRequest = OperationRequest<typeof route>;
export type GetSegmentResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toSegment(await getSegment(c.get("deps"), caller, c.req.valid("param").id)), 200);
  });
