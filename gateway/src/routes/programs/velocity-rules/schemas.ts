import { z } from "@hono/zod-openapi";
import type { VelocityRules } from "../../../domain/fraud/rules";

const Limit = z.number().int().min(1).max(1_000_000_000).nullable();
const Action = z.enum(["reject", "hold"]);

export const VelocityRulesBody = z
  .object({
    max_earn_points_per_member_per_day: Limit.optional().openapi({
      example: 20_000,
      description: "Breach: 429 `earn_limit_exceeded`",
    }),
    max_burns_per_member_per_hour: Limit.optional().openapi({ example: 10 }),
    max_conversion_points_per_member_per_day: Limit.optional().openapi({ example: 50_000 }),
    review_threshold_points: Limit.optional().openapi({
      example: 100_000,
      description: "Single burns and conversions above it are held",
    }),
    hold_first_conversion_to_new_destination: z.boolean().optional(),
    actions: z
      .object({
        max_burns_per_member_per_hour: Action.optional(),
        max_conversion_points_per_member_per_day: Action.optional(),
      })
      .strict()
      .optional()
      .openapi({
        description:
          "What a breach does: reject (429 naming the rule) or hold for review. Defaults: burns reject, conversions hold",
      }),
  })
  .strict()
  .openapi("VelocityRulesInput");

export const VelocityRulesSchema = z
  .object({
    program_id: z.string(),
    max_earn_points_per_member_per_day: z.number().int().nullable(),
    max_burns_per_member_per_hour: z.number().int().nullable(),
    max_conversion_points_per_member_per_day: z.number().int().nullable(),
    review_threshold_points: z.number().int().nullable(),
    hold_first_conversion_to_new_destination: z.boolean(),
    actions: z.object({
      max_earn_points_per_member_per_day: z.literal("reject"),
      max_burns_per_member_per_hour: Action,
      max_conversion_points_per_member_per_day: Action,
      review_threshold_points: z.literal("hold"),
      hold_first_conversion_to_new_destination: z.literal("hold"),
    }),
    updated_at: z.iso.datetime().nullable(),
  })
  .openapi("VelocityRules");

export const toVelocityRules = (programId: string, rules: VelocityRules & { updatedAt: Date | null }) =>
  VelocityRulesSchema.parse({
    program_id: programId,
    max_earn_points_per_member_per_day: rules.maxEarnPointsPerMemberPerDay,
    max_burns_per_member_per_hour: rules.maxBurnsPerMemberPerHour,
    max_conversion_points_per_member_per_day: rules.maxConversionPointsPerMemberPerDay,
    review_threshold_points: rules.reviewThresholdPoints,
    hold_first_conversion_to_new_destination: rules.holdFirstConversionToNewDestination,
    actions: {
      max_earn_points_per_member_per_day: "reject",
      max_burns_per_member_per_hour: rules.burnAction,
      max_conversion_points_per_member_per_day: rules.conversionAction,
      review_threshold_points: "hold",
      hold_first_conversion_to_new_destination: "hold",
    },
    updated_at: rules.updatedAt?.toISOString() ?? null,
  });
