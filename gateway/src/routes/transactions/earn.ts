import { createRoute, z } from "@hono/zod-openapi";
import { earn } from "../../domain/ledger/earn";
import { requireScopeOnHotRoute } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { movementFields, movementTarget, whereFields } from "./movement";
import { EarnResultSchema, PointsSchema, PurchaseSchema, pointsOrPurchase } from "./schemas";

const EarnBody = z
  .object({ ...movementFields, points: PointsSchema.optional(), purchase: PurchaseSchema.optional() })
  .strict()
  .superRefine(pointsOrPurchase.check)
  .openapi("EarnPoints", {
    oneOf: pointsOrPurchase.oneOf,
    example: {
      program_id: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0",
      external_id: "SK-4471-0092",
      points: 1500,
      reference: "order-88412",
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/transactions/earn",
  operationId: "earnPoints",
  tags: ["Transactions"],
  summary: "Earn points",
  description:
    "Credits the member from the program's issuance account. Give `points`, or a `purchase` converted at your " +
    "agreement's earn rate (rounded down to whole points). In a program with tiers the same write adds the " +
    "accrual bonus of the member's tier and, when the earn qualifies the member for a higher tier, moves it up " +
    "and pays that tier's upgrade bonus (once per member and tier, ever). The program's active promotions pay in " +
    "the same write, each within its schedule, audience, conditions, control group, budget and member limits " +
    "(a referral also pays the referrer, on the referred member's first earn). Each bonus is its own transaction, " +
    "listed in `bonuses`. Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["points:earn"] }],
  middleware: [requireScopeOnHotRoute("points:earn"), idempotency({ required: true, atomic: true })] as const,
  request: {
    headers: RequiredIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: EarnBody } } },
  },
  responses: {
    201: {
      description: "The earn transaction, with its bonuses",
      content: { "application/json": { schema: EarnResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429),
  },
});

export type EarnPointsRequest = OperationRequest<typeof route>;
export type EarnPointsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { partnerId, access } = await movementTarget(c, body, "earn");
    const result = await earn(
      c.get("deps"),
      {
        access,
        partnerId,
        points: body.points,
        purchase: body.purchase && { amountMinor: body.purchase.amount_minor, currency: body.purchase.currency },
        reference: body.reference,
        description: body.description,
        ...whereFields(body),
      },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
