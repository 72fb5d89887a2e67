import { createRoute, z } from "@hono/zod-openapi";
import { listRewards } from "../../domain/rewards/catalogue";
import { rewardTypes } from "../../domain/rewards/reward";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { programReaders } from "../program-readers";
import { reference } from "../promotions/schemas";
import { ProgramIdPathParam } from "../segments/schemas";
import { RewardSchema, toReward } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/rewards",
  operationId: "listRewards",
  tags: ["Rewards"],
  summary: "List a program's rewards",
  description:
    "The catalogue, newest first, with cursor pagination, narrowed by `active`, `type` and `tier` (`tier=gold`: what " +
    "a gold member may redeem, the rewards for every member and those that name gold). For the program's owner, " +
    "the operator and partners with an agreement in the program.",
  ...programReaders,
  request: {
    params: ProgramIdPathParam,
    query: ListQuerySchema.extend({
      active: z.enum(["true", "false"]).optional().openapi({ description: "Only active (or inactive) rewards" }),
      type: z.enum(rewardTypes).optional(),
      tier: reference(64).optional().openapi({ description: "Only what members of this tier key may redeem" }),
    }).strict(),
  },
  responses: {
    200: {
      description: "A page of rewards",
      content: { "application/json": { schema: listOf(RewardSchema, "RewardList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListRewardsRequest = OperationRequest<typeof route>;
export type ListRewardsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { active, type, tier, ...page } = c.req.valid("query");
    const found = await listRewards(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      { active: active === undefined ? undefined : active === "true", type, tier },
      page,
    );
    return c.json({ ...found, data: found.data.map(toReward) }, 200);
  });
