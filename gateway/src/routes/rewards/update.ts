import { createRoute } from "@hono/zod-openapi";
import { updateReward } from "../../domain/rewards/catalogue";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { RewardIdParam, RewardSchema, rewardPatchOf, toReward, UpdateRewardBody } from "./schemas";

export const route = createRoute({
  method: "patch",
  path: "/v1/rewards/{id}",
  operationId: "updateReward",
  tags: ["Rewards"],
  summary: "Update a reward",
  description:
    "Any field, checked as the reward will be (400 at its path, nothing written); a new `sku` must be free in the " +
    "program (409 `conflict`). `stock` sets the units left to redeem now (not for a `code` reward, whose stock is " +
    "its codes). Orders already placed keep their price. For the program's owner (`programs:manage`) and the " +
    "operator; a partner that only reads the catalogue gets 403.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: RewardIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateRewardBody } } },
  },
  responses: {
    200: { description: "The reward as it is now", content: { "application/json": { schema: RewardSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type UpdateRewardRequest = OperationRequest<typeof route>;
export type UpdateRewardResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const reward = await updateReward(
      c.get("deps"),
      caller,
      c.req.valid("param").id,
      rewardPatchOf(c.req.valid("json")),
    );
    return c.json(toReward(reward), 200);
  });
