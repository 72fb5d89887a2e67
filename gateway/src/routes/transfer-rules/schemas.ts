import { z } from "@hono/zod-openapi";
import type { TransferRules } from "../../domain/transfers/rules";

export const TransferRulesInputSchema = z
  .object({
    enabled: z.boolean().openapi({ description: "Whether members of the program may transfer points" }),
    min_points: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .default(1)
      .openapi({ example: 100, description: "The smallest transfer, in points sent (default 1)" }),
    max_points_per_member_per_month: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000_000)
      .nullable()
      .default(null)
      .openapi({
        example: 10_000,
        description:
          "Points a member may send per calendar month in the program's time zone, reaching it exactly allowed " +
          "(at least min_points); null or absent: no maximum",
      }),
    fee_bps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(0)
      .openapi({ example: 250, description: "The fee, basis points of the points sent, rounded up (default 0)" }),
    min_membership_days: z
      .number()
      .int()
      .min(0)
      .max(36_500)
      .default(0)
      .openapi({ example: 30, description: "Days a member must have been enrolled to send points (default 0)" }),
  })
  .strict()
  .openapi("TransferRulesInput", {
    example: {
      enabled: true,
      min_points: 100,
      max_points_per_member_per_month: 10_000,
      fee_bps: 250,
      min_membership_days: 30,
    },
  });

export const TransferRulesSchema = z
  .object({
    program_id: z.string(),
    enabled: z.boolean(),
    min_points: z.number().int(),
    max_points_per_member_per_month: z.number().int().nullable(),
    fee_bps: z.number().int(),
    min_membership_days: z.number().int(),
    updated_at: z.iso.datetime().nullable().openapi({ description: "Null while the program has the defaults" }),
  })
  .openapi("TransferRules");

export const toTransferRules = (rules: TransferRules) =>
  TransferRulesSchema.parse({
    program_id: rules.programId,
    enabled: rules.enabled,
    min_points: rules.minPoints,
    max_points_per_member_per_month: rules.maxPointsPerMemberPerMonth,
    fee_bps: rules.feeBps,
    min_membership_days: rules.minMembershipDays,
    updated_at: rules.updatedAt?.toISOString() ?? null,
  });
