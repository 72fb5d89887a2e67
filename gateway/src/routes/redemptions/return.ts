import { z } from "@hono/zod-openapi";
import { returnRedemption } from "../../domain/redemptions/steps";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { stepRoute } from "./schemas";

const ReturnBody = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().openapi({ example: "Arrived damaged" }),
  })
  .strict()
  .openapi("ReturnRedemption");

export const route = stepRoute({
  verb: "return",
  operationId: "returnRedemption",
  summary: "Return a redeemed product",
  description:
    "Takes back a `fulfilled` product (a reward of type `product` not fulfilled by codes) in one atomic write: the " +
    "member's points come back (a `reversal` of its burn) and the units go back to the reward's stock (lower it " +
    "with a PATCH if the goods cannot be sold again); `redemption.returned`. Other rewards (a voucher code handed " +
    "out, a service rendered) and any other status: 409 `invalid_state`. For the program's owner, the fulfilling " +
    "partner and the operator. `Idempotency-Key` optional.",
  body: ReturnBody,
  bodyRequired: false,
});

export type ReturnRedemptionRequest = OperationRequest<typeof route>;
export type ReturnRedemptionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = (c.req.valid("json") as z.infer<typeof ReturnBody> | undefined) ?? {};
    const result = await returnRedemption(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").id,
      { reason: body.reason ?? null },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
