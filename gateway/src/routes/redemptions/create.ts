import { createRoute, z } from "@hono/zod-openapi";
import { placeRedemption } from "../../domain/redemptions/place";
import { requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ExternalId } from "../members/schemas";
import { movementTarget } from "../transactions/movement";
import { DeliverySchema, RedemptionSchema } from "./schemas";

const CreateRedemptionBody = z
  .object({
    program_id: z.string().min(1).openapi({ example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
    external_id: ExternalId,
    reward_id: z.string().min(1).openapi({ example: "rwd_01jdz7b2d4f6h8k0m2p4r6t8v0" }),
    quantity: z.number().int().min(1).max(100).openapi({ example: 1 }),
    delivery: DeliverySchema.optional(),
  })
  .strict()
  .openapi("CreateRedemption");

export const route = createRoute({
  method: "post",
  path: "/v1/redemptions",
  operationId: "createRedemption",
  tags: ["Redemptions"],
  summary: "Redeem a reward",
  description:
    "Spends the member's points on `quantity` of a reward of the program in one atomic write: the burn (on " +
    "statements the fulfilling partner's redemption), the stock, the voucher codes (never one code twice), the " +
    "order and its events (`redemption.created`, and `redemption.fulfilled` for codes). A `code` reward is " +
    "fulfilled at once with its codes; others stay `pending` until the fulfilling partner fulfils them. 409 " +
    "`insufficient_points`, `out_of_stock` or `limit_exceeded` (the member's held, pending and fulfilled orders of " +
    "the reward count towards its per-member limit); 403 `not_eligible` for an inactive reward, one outside its " +
    "availability dates or not for the member's tier. Your agreement must allow burning. The burn velocity rules " +
    "and the program's review threshold may hold it: 202 with `status: held`, points, stock and codes reserved " +
    "until the review is decided. Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["points:burn"] }],
  middleware: [requireScope("points:burn"), idempotency({ required: true, atomic: true })] as const,
  request: {
    headers: RequiredIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: CreateRedemptionBody } } },
  },
  responses: {
    201: { description: "The order", content: { "application/json": { schema: RedemptionSchema } } },
    202: {
      description: "Held for review: points, stock and codes are reserved until the review decides",
      content: { "application/json": { schema: RedemptionSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429),
  },
});

export type CreateRedemptionRequest = OperationRequest<typeof route>;
export type CreateRedemptionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { partnerId, access } = await movementTarget(c, body, "burn");
    const result = await placeRedemption(
      c.get("deps"),
      {
        access,
        partnerId,
        rewardId: body.reward_id,
        quantity: body.quantity,
        delivery: body.delivery ?? null,
      },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
