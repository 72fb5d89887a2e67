import { z } from "@hono/zod-openapi";
import { fulfilRedemption } from "../../domain/redemptions/steps";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { stepRoute } from "./schemas";

const FulfilBody = z
  .object({
    tracking_reference: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ example: "BR123456789PT", description: "The carrier's reference of the shipment, if any" }),
  })
  .strict()
  .openapi("FulfilRedemption");

export const route = stepRoute({
  verb: "fulfil",
  operationId: "fulfilRedemption",
  summary: "Fulfil a redemption",
  description:
    "Marks a `pending` order `fulfilled` (shipped, or the service rendered), with the shipment's tracking reference " +
    "if given: `redemption.fulfilled` to the program's owner, the ordering and the fulfilling partner. Any other " +
    "status: 409 `invalid_state`, decided inside the write, so a fulfil racing a cancel has exactly one winner. For " +
    "the program's owner, the fulfilling partner and the operator. `Idempotency-Key` optional.",
  body: FulfilBody,
  bodyRequired: false,
});

export type FulfilRedemptionRequest = OperationRequest<typeof route>;
export type FulfilRedemptionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = (c.req.valid("json") as z.infer<typeof FulfilBody> | undefined) ?? {};
    const result = await fulfilRedemption(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").id,
      { trackingReference: body.tracking_reference ?? null },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
