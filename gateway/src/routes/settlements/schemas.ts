import { z } from "@hono/zod-openapi";

const NamedRef = z.object({ id: z.string(), name: z.string() });

export const StatementLineSchema = z
  .object({
    kind: z
      .enum(["points_issued", "bonus", "points_redeemed", "conversion_out", "conversion_in", "breakage", "adjustment"])
      .openapi({
        description:
          "`bonus`: the tier and promotion bonuses of the program owner's members, less their reversals, at the " +
          "owner's issue price (the owner pays them, whichever partner's earn caused them); always a memo line. " +
          "`adjustment`: the program owner's credits (positive) and debits (negative) of its members, net, at its " +
          "issue price; always a memo line",
      }),
    direction: z.enum(["receivable", "payable", "memo"]).openapi({
      description:
        "`receivable`: the counterparty owes this partner; `payable`: this partner owes the counterparty; `memo`: " +
        "no payment (points in the partner's own program, breakage, adjustments, bonuses)",
    }),
    counterparty: NamedRef.nullable(),
    program: NamedRef,
    points: z.number().int().openapi({ description: "Net of reversals in the period; negative if reversals exceed" }),
    price_micros: z.number().int().openapi({ description: "Per point, from the agreement in force at the movement" }),
    amount_minor: z.number().int().openapi({ description: "points × price, rounded once per line, half to even" }),
  })
  .openapi("StatementLine");

export const StatementSchema = z
  .object({
    id: z.string().openapi({ example: "stm_01jdz8a2c4e6g8j0l2n4q6s8u0" }),
    period: z.object({ id: z.string(), start: z.iso.datetime(), end: z.iso.datetime() }),
    partner: NamedRef,
    currency: z.string().openapi({ example: "USD" }),
    lines: z.array(StatementLineSchema),
    totals: z.object({
      receivable_minor: z.number().int(),
      payable_minor: z.number().int(),
      memo_minor: z.number().int(),
      net_amount_minor: z
        .number()
        .int()
        .openapi({ description: "receivable − payable: positive, the partner is owed" }),
    }),
    content_hash: z.string().openapi({
      description: "SHA-256 (hex) of the statement document: this object without `content_hash`, as stored",
    }),
    created_at: z.iso.datetime(),
  })
  .openapi("Statement");

export const StatementSummarySchema = z
  .object({
    id: z.string(),
    period: z.object({ id: z.string(), start: z.iso.datetime(), end: z.iso.datetime() }),
    partner_id: z.string(),
    currency: z.string(),
    net_amount_minor: z.number().int(),
    content_hash: z.string(),
    created_at: z.iso.datetime(),
  })
  .openapi("StatementSummary");

export const StatementIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "stm_01jdz8a2c4e6g8j0l2n4q6s8u0" }),
});
