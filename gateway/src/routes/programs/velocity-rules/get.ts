import { createRoute } from "@hono/zod-openapi";
import { getVelocityRules } from "../../../domain/fraud/rules";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { ProgramIdParam } from "../schemas";
import { toVelocityRules, VelocityRulesSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{id}/velocity-rules",
  operationId: "getVelocityRules",
  tags: ["Fraud"],
  summary: "Get a program's velocity rules",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { params: ProgramIdParam },
  responses: {
    200: { description: "The rules in force", content: { "application/json": { schema: VelocityRulesSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetVelocityRulesRequest = OperationRequest<typeof route>;
export type GetVelocityRulesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(toVelocityRules(id, await getVelocityRules(c.get("deps").db, id)), 200);
  });
