import { createRoute } from "@hono/zod-openapi";
import { getReward } from "../../domain/rewards/catalogue";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { programReaders } from "../program-readers";
import { RewardIdParam, RewardSchema, toReward } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/rewards/{id}",
  operationId: "getReward",
  tags: ["Rewards"],
  summary: "Get a reward",
  description:
    "With its stock as orders see it now. For the program's owner, the operator and partners with an agreement in " +
    "the program.",
  ...programReaders,
  request: { params: RewardIdParam },
  responses: {
    200: { description: "The reward", content: { "application/json": { schema: RewardSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetRewardRequest = OperationRequest<typeof route>;
export type GetRewardResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toReward(await getReward(c.get("deps"), caller, c.req.valid("param").id)), 200);
  });
