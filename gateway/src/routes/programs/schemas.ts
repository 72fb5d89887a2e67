import { z } from "@hono/zod-openapi";
import { type Agreement, canonicalTimeZone, type Program } from "../../domain/programs";

export const ProgramIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
});

/** Micros (millionths of the settlement currency) per point; 10,000 = 1 cent. */
export const PriceMicros = z.number().int().min(0).max(1_000_000_000_000);

const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an upper-case ISO 4217 code such as USD")
  .refine((code) => knownCurrencies.has(code), "is not an ISO 4217 currency")
  .openapi({ example: "USD" });

/** An IANA time zone name, stored in its canonical spelling ("utc" is "UTC"). */
export const TimeZone = z
  .string()
  .max(64)
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (canonical) return canonical;
    ctx.addIssue({ code: "custom", message: "must be an IANA time zone name such as UTC or Europe/Lisbon" });
    return z.NEVER;
  })
  .openapi({ type: "string", example: "Europe/Lisbon" });

/** `active`, or `closed`: no new members or points (409 `invalid_state`); spending, reversals and expiry go on. */
export const ProgramStatus = z.enum(["active", "closed"]).openapi({
  description:
    "`closed`: the program takes no new members and no new points (enrol, earn and conversions into it answer 409 " +
    "`invalid_state`); members may still burn and convert out what they hold, and reversals and expiry go on",
});

/** Points earned per purchase amount: `points` per `per_amount_minor` minor units, rounded down. */
export const EarnRateSchema = z
  .object({
    points: z.number().int().min(0).max(1_000_000),
    per_amount_minor: z.number().int().min(1).max(1_000_000_000),
  })
  .strict()
  .openapi("EarnRate", { example: { points: 1, per_amount_minor: 100 } });

export const ProgramSchema = z
  .object({
    id: z.string().openapi({ example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
    partner_id: z.string().openapi({ example: "ptn_01jdz3k7q8m2x9v4b6n0c5t1wa" }),
    name: z.string().openapi({ example: "SkyWays Miles" }),
    point_name: z.string().openapi({ example: "mile" }),
    settlement_currency: z.string().openapi({ example: "USD" }),
    issue_price_micros: z
      .number()
      .int()
      .openapi({ example: 12_000, description: "What an earning partner pays per point" }),
    redeem_price_micros: z
      .number()
      .int()
      .openapi({ example: 10_000, description: "What a redeeming partner receives per point" }),
    points_expire_after_days: z.number().int().nullable().openapi({ example: 730 }),
    review_threshold_points: z.number().int().nullable().openapi({ example: 100_000 }),
    timezone: z.string().openapi({
      example: "Europe/Lisbon",
      description: "IANA time zone that places the program's days (per-day limits, schedules, report buckets)",
    }),
    status: ProgramStatus,
    created_at: z.iso.datetime(),
  })
  .openapi("Program");

export const toProgram = (row: Program) =>
  ProgramSchema.parse({
    id: row.id,
    partner_id: row.partnerId,
    name: row.name,
    point_name: row.pointName,
    settlement_currency: row.settlementCurrency,
    issue_price_micros: row.issuePriceMicros,
    redeem_price_micros: row.redeemPriceMicros,
    points_expire_after_days: row.pointsExpireAfterDays,
    review_threshold_points: row.reviewThresholdPoints,
    timezone: row.timezone,
    status: row.status,
    created_at: row.createdAt.toISOString(),
  });

export const AgreementSchema = z
  .object({
    id: z.string().openapi({ example: "agr_01jdz3q9w1e3r5t7y9u1i3o5p7" }),
    program_id: z.string(),
    partner_id: z.string(),
    can_earn: z.boolean(),
    can_burn: z.boolean(),
    issue_price_micros: z.number().int(),
    redeem_price_micros: z.number().int(),
    earn_rate: EarnRateSchema,
    valid_from: z.iso.datetime(),
    status: z
      .enum(["scheduled", "in_force", "superseded"])
      .openapi({ description: "Whether this version applies now, later, or was replaced by a newer one" }),
    created_at: z.iso.datetime(),
  })
  .openapi("Agreement");

export const toAgreement = (row: Agreement, status: "scheduled" | "in_force" | "superseded") =>
  AgreementSchema.parse({
    id: row.id,
    program_id: row.programId,
    partner_id: row.partnerId,
    can_earn: row.canEarn,
    can_burn: row.canBurn,
    issue_price_micros: row.issuePriceMicros,
    redeem_price_micros: row.redeemPriceMicros,
    earn_rate: { points: row.earnPoints, per_amount_minor: row.earnPerAmountMinor },
    valid_from: row.validFrom.toISOString(),
    status,
    created_at: row.createdAt.toISOString(),
  });
