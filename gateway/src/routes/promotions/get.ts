import { createRoute } from "@hono/zod-openapi";
import { getPromotion } from "../../domain/promotions/promotions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { PromotionIdParam, PromotionSchema, toPromotion } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/promotions/{id}",
  operationId: "getPromotion",
  tags: ["Promotions"],
  summary: "Get a promotion",
  description:
    "With what its budget has paid so far. For the program's owner and the operator; a partner with an agreement " +
    "in the program reads it only while it is active (404 otherwise).",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("operator", "programs:manage", "members:read")] as const,
  request: { params: PromotionIdParam },
  responses: {
    200: { description: "The promotion", content: { "application/json": { schema: PromotionSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetPromotionRequest = OperationRequest<typeof route>;
export type GetPromotionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toPromotion(await getPromotion(c.get("deps"), caller, c.req.valid("param").id)), 200);
  });
