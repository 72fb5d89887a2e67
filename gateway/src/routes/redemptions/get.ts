import { createRoute } from "@hono/zod-openapi";
import { getRedemption } from "../../domain/redemptions/find";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { RedemptionIdParam, RedemptionSchema, toRedemption } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/redemptions/{id}",
  operationId: "getRedemption",
  tags: ["Redemptions"],
  summary: "Get a redemption",
  description:
    "For the program's owner, the fulfilling partner, the partner that placed it and the operator; anyone else 404.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("operator", "programs:manage", "members:read")] as const,
  request: { params: RedemptionIdParam },
  responses: {
    200: { description: "The redemption", content: { "application/json": { schema: RedemptionSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetRedemptionRequest = OperationRequest<typeof route>;
export type GetRedemptionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toRedemption(await getRedemption(c.get("deps"), caller, c.req.valid("param").id)), 200);
  });
