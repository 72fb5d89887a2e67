import { createRoute, z } from "@hono/zod-openapi";
import { listReviewsPage } from "../../db/queries/reviews";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { ReviewSchema, toReview } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/reviews",
  operationId: "listReviews",
  tags: ["Reviews"],
  summary: "List reviews",
  description: "Held operations, newest first, with the rule that held each. `?status=pending` is the review queue.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { query: ListQuerySchema.extend({ status: z.enum(["pending", "approved", "rejected"]).optional() }) },
  responses: {
    200: {
      description: "A page of reviews",
      content: { "application/json": { schema: listOf(ReviewSchema, "ReviewList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListReviewsRequest = OperationRequest<typeof route>;
export type ListReviewsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const result = await listReviewsPage(c.var.deps.db, c.req.valid("query"));
    return c.json({ ...result, data: result.data.map(toReview) }, 200);
  });
