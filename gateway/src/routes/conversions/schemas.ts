import { z } from "@hono/zod-openapi";

const RateTermsSchema = z.object({
  id: z.string(),
  from_points: z.number().int(),
  to_points: z.number().int(),
  fee_bps: z.number().int(),
});

export const QuoteSchema = z
  .object({
    id: z.string().openapi({ example: "qt_01jdz5c1e3g5j7l9n1q3s5u7w9" }),
    from_program_id: z.string(),
    from_external_id: z.string(),
    to_program_id: z.string(),
    to_external_id: z.string(),
    from_points: z.number().int().openapi({ example: 5000 }),
    fee_points: z.number().int().openapi({ example: 75 }),
    to_points: z.number().int().openapi({ example: 2955 }),
    rate: RateTermsSchema,
    expires_at: z.iso.datetime().openapi({ description: "Execute before this; the rate is locked until then" }),
    created_at: z.iso.datetime(),
  })
  .openapi("Quote");

export const ConversionSchema = z
  .object({
    id: z.string().openapi({ example: "cnv_01jdz5d2f4h6k8m0p2r4t6v8x0" }),
    status: z.enum(["completed", "held", "rejected", "pending", "failed"]).openapi({
      description:
        "`held` waits for a review (then `completed` or `rejected`). Between programs on different databases a " +
        "conversion is `pending` while the destination credits it, then `completed`, or `failed` when the " +
        "destination refused (its points back with the member)",
    }),
    quote_id: z.string(),
    review_id: z.string().nullable().openapi({ description: "Set when the conversion was held for review" }),
    from_program_id: z.string(),
    from_external_id: z.string(),
    to_program_id: z.string(),
    to_external_id: z.string(),
    from_points: z.number().int(),
    fee_points: z.number().int(),
    to_points: z.number().int(),
    rate: RateTermsSchema,
    settlement: z
      .object({
        payer_program_id: z.string(),
        payee_program_id: z.string(),
        points: z.number().int(),
        price_micros: z.number().int().openapi({ description: "The destination's issue price per point at execution" }),
        currency: z.string(),
      })
      .openapi({ description: "What the source program owes the destination program for this conversion" }),
    created_at: z.iso.datetime(),
    decided_at: z.iso.datetime().nullable(),
    failure_reason: z
      .string()
      .optional()
      .openapi({ description: "Only when `failed`: why the destination program refused the points" }),
  })
  .openapi("Conversion");

export const ConversionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "cnv_01jdz5d2f4h6k8m0p2r4t6v8x0" }),
});
