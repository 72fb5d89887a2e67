import { createRoute, z } from "@hono/zod-openapi";
import { type Redemption, redemptionBody } from "../../domain/redemptions/redemption";
import { requireScope } from "../../http/auth";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { listOf } from "../../http/pagination";

export const RedemptionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "rdm_01jdz7c3e5g7j9l1n3q5s7u9w1" }),
});

const line = (max: number, example: string) => z.string().trim().min(1).max(max).openapi({ example });

export const DeliverySchema = z
  .object({
    name: line(200, "Ana Souza"),
    address_lines: z
      .array(z.string().trim().min(1).max(200))
      .min(1)
      .max(4)
      .openapi({ example: ["Rua Augusta 1200", "Apto 52"] }),
    city: line(100, "São Paulo"),
    postal_code: line(20, "01304-001"),
    country: line(100, "BR"),
    phone: z.string().trim().min(1).max(40).optional().openapi({ example: "+55 11 91234-5678" }),
  })
  .strict()
  .openapi("Delivery", { description: "Where a product is sent; stored as sent, for the fulfilling partner" });

export const statuses = ["held", "pending", "fulfilled", "cancelled", "returned", "rejected"] as const;

const moment = (description: string) => z.iso.datetime().nullable().openapi({ description });

export const RedemptionSchema = z
  .object({
    id: z.string().openapi({ example: "rdm_01jdz7c3e5g7j9l1n3q5s7u9w1" }),
    status: z.enum(statuses).openapi({
      description:
        "`held` for review (points, stock and codes reserved), `pending` until the fulfilling partner fulfils it, " +
        "`fulfilled`, `cancelled` (from pending), `returned` (a fulfilled product), `rejected` (by its review)",
    }),
    program_id: z.string(),
    reward_id: z.string().openapi({ example: "rwd_01jdz7b2d4f6h8k0m2p4r6t8v0" }),
    member_id: z.string(),
    external_id: z.string().openapi({ example: "SK-4471-0092" }),
    quantity: z.number().int().openapi({ example: 2 }),
    points: z.number().int().openapi({ example: 9000, description: "The reward's price times the quantity" }),
    transaction_id: z.string().openapi({
      description:
        "The burn that paid for it (the fulfilling partner's on statements); while held, the hold reserving the points",
    }),
    partner_id: z.string().openapi({ description: "The partner that placed the order" }),
    fulfilling_partner_id: z
      .string()
      .openapi({ description: "The partner that fulfils it: the reward's, else the program's owner" }),
    review_id: z.string().nullable().openapi({ description: "The review of an order held for review" }),
    codes: z
      .array(z.string())
      .optional()
      .openapi({
        example: ["GIFT-8K2P-Q4ZD"],
        description: "Only on a fulfilled order of a `code` reward: its voucher codes, one per unit",
      }),
    delivery: DeliverySchema.nullable(),
    tracking_reference: z.string().nullable().openapi({ example: "BR123456789PT" }),
    cancel_reason: z
      .string()
      .nullable()
      .openapi({ description: "Why it was cancelled, returned or rejected (when the one who did it said)" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    fulfilled_at: moment("When it was fulfilled"),
    cancelled_at: moment("When it was cancelled"),
    returned_at: moment("When it was returned"),
  })
  .openapi("Redemption");

export const toRedemption = (redemption: Redemption) => RedemptionSchema.parse(redemptionBody(redemption));

export const RedemptionListSchema = listOf(RedemptionSchema, "RedemptionList");

/**
 * A step of an order's life (fulfil, cancel, return): `POST /v1/redemptions/{id}/<verb>`, one atomic write decided on
 * the status the write finds (409 `invalid_state` from any other), answering the redemption. For the program's
 * owner, the fulfilling partner and the operator (and, to cancel, the partner that placed it); idempotent with an
 * optional `Idempotency-Key`.
 */
export const stepRoute = <B extends z.ZodType>(step: {
  verb: "fulfil" | "cancel" | "return";
  operationId: string;
  summary: string;
  description: string;
  body: B;
  bodyRequired: boolean;
}) =>
  createRoute({
    method: "post",
    path: `/v1/redemptions/{id}/${step.verb}`,
    operationId: step.operationId,
    tags: ["Redemptions"],
    summary: step.summary,
    description: step.description,
    security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }, { bearerAuth: ["points:burn"] }],
    middleware: [
      requireScope("operator", "programs:manage", "points:burn"),
      idempotency({ required: false, atomic: true }),
    ] as const,
    request: {
      params: RedemptionIdParam,
      body: { required: step.bodyRequired, content: { "application/json": { schema: step.body } } },
    },
    responses: {
      200: {
        description: "The redemption after the step",
        content: { "application/json": { schema: RedemptionSchema } },
      },
      ...errorResponses(400, 401, 403, 404, 409, 415, 422),
    },
  });
