import { createRoute, z } from "@hono/zod-openapi";
import { simulateEarn } from "../../domain/promotions/simulate";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ExternalId } from "../members/schemas";
import { ProgramIdPathParam } from "../segments/schemas";
import { ChannelSchema, PointsSchema, PurchaseSchema, pointsOrPurchase } from "../transactions/schemas";

const SimulateBody = z
  .object({
    external_id: ExternalId,
    points: PointsSchema.optional(),
    purchase: PurchaseSchema.optional(),
    at: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "When the earn would happen. Default: now (a sandbox's test clock)" }),
    partner_id: z.string().min(1).max(64).optional().openapi({
      description:
        "The earning partner (with an agreement that lets it earn). Default: you; for the operator, the program's owner",
    }),
    channel: ChannelSchema.optional(),
    include_drafts: z
      .boolean()
      .optional()
      .openapi({ description: "Try the program's draft promotions too, as if they were active. Default false" }),
  })
  .strict()
  .superRefine(pointsOrPurchase.check)
  .openapi("SimulatePromotions", {
    oneOf: pointsOrPurchase.oneOf,
    example: { external_id: "SK-4471-0093", purchase: { amount_minor: 12_500, currency: "USD" }, channel: "store" },
  });

const SkipReason = z
  .enum([
    "outside_schedule",
    "not_in_audience",
    "condition",
    "control_group",
    "budget_exhausted",
    "member_limit",
    "exclusive",
  ])
  .openapi("PromotionSkipReason", {
    description:
      "Why a promotion the earn sets off would pay nothing, the first that holds in this order: outside_schedule " +
      "(its dates or schedule), not_in_audience, condition (min_purchase_minor), control_group (the member is held " +
      "out), budget_exhausted, member_limit (max awards or points per member, or a one-off already paid), exclusive " +
      "(another promotion won: an exclusive one of higher precedence, or this stacking one lost to an exclusive one)",
  });

const SimulationSchema = z
  .object({
    base_points: z.number().int().openapi({ example: 125, description: "The earn's own points" }),
    bonuses: z.array(
      z.object({
        source: z.enum(["tier", "tier_upgrade", "promotion"]),
        source_id: z.string().openapi({ description: "The tier key, or the promotion id" }),
        points: z.number().int(),
      }),
    ),
    skipped: z.array(z.object({ promotion_id: z.string(), reason: SkipReason })),
  })
  .openapi("PromotionSimulation");

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/promotions/simulate",
  operationId: "simulatePromotions",
  tags: ["Promotions"],
  summary: "Simulate an earn's bonuses",
  description:
    "What `POST /v1/transactions/earn` would pay the member for these points or this purchase, writing nothing: " +
    "its own points, each bonus in the order the earn lists them (the tier's accrual and upgrade bonuses, then " +
    "each promotion that would pay, after its budget and member limits as they stand now) and each promotion the " +
    "earn sets off that would pay nothing, with the reason. The very evaluation the earn runs, on the same reads, " +
    "so the two agree; a later earn may still differ if budgets, limits or the member change first. Try a draft " +
    "with `include_drafts`. For the program's owner (`programs:manage`) and the operator; the earning partner " +
    "(`partner_id`) must have an agreement in force at `at` that lets it earn (400 at `partner_id`).",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: SimulateBody } } },
  },
  responses: {
    200: { description: "What the earn would pay", content: { "application/json": { schema: SimulationSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type SimulatePromotionsRequest = OperationRequest<typeof route>;
export type SimulatePromotionsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const simulation = await simulateEarn(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      {
        externalId: body.external_id,
        points: body.points,
        purchase: body.purchase && { amountMinor: body.purchase.amount_minor, currency: body.purchase.currency },
        at: body.at === undefined ? undefined : new Date(body.at),
        partnerId: body.partner_id,
        channel: body.channel ?? null,
        includeDrafts: body.include_drafts,
      },
    );
    return c.json(SimulationSchema.parse(simulation), 200);
  });
