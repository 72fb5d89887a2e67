import { createRoute } from "@hono/zod-openapi";
import { createReward } from "../../domain/rewards/catalogue";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../segments/schemas";
import { CreateRewardBody, RewardSchema, rewardInputOf, toReward } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/rewards",
  operationId: "createReward",
  tags: ["Rewards"],
  summary: "Add a reward to a program's catalogue",
  description:
    "Checked whole, each problem at its path (400, nothing written): `tiers` must be keys of the program's tiers, " +
    "`fulfilling_partner_id` a partner with an agreement in the program, `available_until` after " +
    "`available_from`, and a `code` reward has no `stock` (its stock is its available codes: upload them with " +
    "POST /v1/rewards/{id}/codes). `sku` is unique in the program (409 `conflict`). For the program's owner " +
    "(`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: CreateRewardBody } } },
  },
  responses: {
    201: { description: "The reward", content: { "application/json": { schema: RewardSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type CreateRewardRequest = OperationRequest<typeof route>;
export type CreateRewardResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const input = rewardInputOf(c.req.valid("json"));
    const reward = await createReward(c.get("deps"), caller, c.req.valid("param").program_id, input);
    return c.json(toReward(reward), 201);
  });
