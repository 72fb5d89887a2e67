import { z } from "@hono/zod-openapi";
import type { CampaignPerformance } from "../../domain/campaigns/performance";
import type { PromotionPerformance } from "../../domain/promotions/performance";

/** The answers of GET /v1/promotions/{id}/performance and GET /v1/campaigns/{id}/performance. */

const CostSchema = z
  .object({
    amount_minor: z.number().int(),
    currency: z.string().openapi({ example: "USD" }),
  })
  .openapi("PerformanceCost", {
    description:
      "The points awarded at the program's issue price (`issue_price_micros`), in minor units of its settlement " +
      "currency, rounded once, half to even, as a settlement statement's line is.",
  });

const roi = z
  .number()
  .nullable()
  .openapi({
    description:
      "(incremental_spend_minor - cost) / cost: 0.5 means the added spend paid the points back and half again. Null " +
      "when the cost is 0 or the incremental spend is unknown.",
  });

const incremental = z
  .number()
  .int()
  .nullable()
  .openapi({
    description:
      "(treatment - control spend per member) × treatment members, rounded to the minor unit; null without members in " +
      "both groups.",
  });

const Group = z.object({
  members: z.number().int().openapi({ description: "Members exposed in this group" }),
  earns: z.number().int().openapi({ description: "Their earn transactions since their exposure" }),
  spend_minor: z.number().int().openapi({ description: "The purchase amounts of those earns" }),
});

export const PromotionPerformanceSchema = z
  .object({
    promotion_id: z.string(),
    treatment: Group.extend({
      points_awarded: z.number().int().openapi({
        description: "Every point the promotion paid, gross: reversing an earn does not give its award's points back",
      }),
    }),
    control: Group,
    spend_per_member: z.object({
      treatment: z.number().nullable().openapi({ description: "spend_minor / members; null without members" }),
      control: z.number().nullable(),
    }),
    uplift_pct: z.number().nullable().openapi({
      description:
        "(treatment - control spend per member) / control × 100; null when the control spent nothing or has no members",
    }),
    uplift_ci95: z
      .tuple([z.number(), z.number()])
      .nullable()
      .openapi({
        description:
          "The 95% interval of uplift_pct: Welch's unequal-variance interval of the difference of the groups' mean " +
          "spend per member (se = sqrt(s²t/nt + s²c/nc), sample variances), with the normal quantile 1.96, divided " +
          "by the control mean: [(d - 1.96 se) / c × 100, (d + 1.96 se) / c × 100]. Null when either group has fewer " +
          "than 30 members (the normal approximation needs more) or the control mean is 0.",
        example: [4.85, 15.15],
      }),
    incremental_spend_minor: incremental,
    budget: z.object({
      points: z.number().int().nullable().openapi({ description: "limits.budget_points; null: no budget" }),
      used: z.number().int().openapi({ description: "Points awarded (gross), as treatment.points_awarded" }),
    }),
    cost: CostSchema,
    roi,
  })
  .openapi("PromotionPerformance");

export const toPromotionPerformance = (p: PromotionPerformance) =>
  PromotionPerformanceSchema.parse({
    promotion_id: p.promotionId,
    treatment: {
      members: p.treatment.members,
      earns: p.treatment.earns,
      spend_minor: p.treatment.spendMinor,
      points_awarded: p.treatment.pointsAwarded,
    },
    control: { members: p.control.members, earns: p.control.earns, spend_minor: p.control.spendMinor },
    spend_per_member: p.spendPerMember,
    uplift_pct: p.upliftPct,
    uplift_ci95: p.upliftCi95,
    incremental_spend_minor: p.incrementalSpendMinor,
    budget: p.budget,
    cost: { amount_minor: p.cost.amountMinor, currency: p.cost.currency },
    roi: p.roi,
  });

export const CampaignPerformanceSchema = z
  .object({
    campaign_id: z.string(),
    promotions: z.array(z.object({ promotion_id: z.string(), points_awarded: z.number().int() })).openapi({
      description: "The campaign's promotions, oldest first, with the points each awarded (gross)",
    }),
    targeted_members: z.number().int().openapi({
      description:
        "Members of any of its segments now (dynamic rules evaluated at request time; static lists by their rows)",
    }),
    responders: z
      .number()
      .int()
      .openapi({
        description:
          "Targeted members with an earn from actual_start (else planned_start) to actual_end (else planned_end, else " +
          "now); 0 for a campaign without a start",
      }),
    response_pct: z
      .number()
      .nullable()
      .openapi({ description: "responders / targeted_members × 100; null without targets" }),
    expected_response_pct: z.number().nullable(),
    cost: CostSchema,
    incremental_spend_minor: incremental.openapi({
      description:
        "The sum over its promotions that have members in both groups of (treatment - control spend per member) × " +
        "treatment members, each rounded to the minor unit; null when none has.",
    }),
    roi,
  })
  .openapi("CampaignPerformance");

export const toCampaignPerformance = (p: CampaignPerformance) =>
  CampaignPerformanceSchema.parse({
    campaign_id: p.campaignId,
    promotions: p.promotions.map((promotion) => ({
      promotion_id: promotion.id,
      points_awarded: promotion.pointsAwarded,
    })),
    targeted_members: p.targetedMembers,
    responders: p.responders,
    response_pct: p.responsePct,
    expected_response_pct: p.expectedResponsePct,
    cost: { amount_minor: p.cost.amountMinor, currency: p.cost.currency },
    incremental_spend_minor: p.incrementalSpendMinor,
    roi: p.roi,
  });
