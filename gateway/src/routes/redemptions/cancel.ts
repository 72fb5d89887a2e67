import { z } from "@hono/zod-openapi";
import { cancelRedemption } from "../../domain/redemptions/steps";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { stepRoute } from "./schemas";

const CancelBody = z
  .object({
    reason: z.string().trim().min(1).max(500).openapi({ example: "Out of stock at the warehouse" }),
  })
  .strict()
  .openapi("CancelRedemption");

export const route = stepRoute({
  verb: "cancel",
  operationId: "cancelRedemption",
  summary: "Cancel a redemption",
  description:
    "Cancels a `pending` order in one atomic write: the member's points come back (a `reversal` of its burn, which " +
    "statements net against it), the units go back to the reward's stock, its codes are voided; " +
    "`redemption.cancelled`. Any other status: 409 `invalid_state`, decided inside the write, so the points come " +
    "back at most once however many cancels race. For the program's owner, the fulfilling partner, the partner " +
    "that placed the order and the operator. `Idempotency-Key` optional.",
  body: CancelBody,
  bodyRequired: true,
});

export type CancelRedemptionRequest = OperationRequest<typeof route>;
export type CancelRedemptionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json") as z.infer<typeof CancelBody>;
    const result = await cancelRedemption(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").id,
      { reason: body.reason },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
