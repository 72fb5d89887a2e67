import { z } from "@hono/zod-openapi";
import type { ConversionRate, RateStatus } from "../../domain/conversions/rates";

export const ConversionRateSchema = z
  .object({
    id: z.string().openapi({ example: "cvr_01jdz5a7c9e1g3j5l7n9q1s3u5" }),
    from_program_id: z.string(),
    to_program_id: z.string(),
    from_points: z.number().int().openapi({ example: 1000, description: "This many source points ..." }),
    to_points: z.number().int().openapi({ example: 600, description: "... buy this many destination points" }),
    min_points: z.number().int().openapi({ example: 1000 }),
    increment: z.number().int().openapi({ example: 1000, description: "Amounts go in steps of this many points" }),
    max_points_per_day: z
      .number()
      .int()
      .nullable()
      .openapi({ example: 50_000, description: "Per member, per UTC day" }),
    fee_bps: z
      .number()
      .int()
      .openapi({ example: 150, description: "Fee in basis points of the source points, rounded up" }),
    valid_from: z.iso.datetime(),
    valid_until: z.iso.datetime().nullable(),
    status: z.enum(["scheduled", "in_force", "superseded", "expired"]),
    created_at: z.iso.datetime(),
  })
  .openapi("ConversionRate");

export const toConversionRate = (rate: ConversionRate, status: RateStatus) =>
  ConversionRateSchema.parse({
    id: rate.id,
    from_program_id: rate.fromProgramId,
    to_program_id: rate.toProgramId,
    from_points: rate.fromPoints,
    to_points: rate.toPoints,
    min_points: rate.minPoints,
    increment: rate.increment,
    max_points_per_day: rate.maxPointsPerDay,
    fee_bps: rate.feeBps,
    valid_from: rate.validFrom.toISOString(),
    valid_until: rate.validUntil?.toISOString() ?? null,
    status,
    created_at: rate.createdAt.toISOString(),
  });
