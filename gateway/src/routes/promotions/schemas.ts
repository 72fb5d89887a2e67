import { z } from "@hono/zod-openapi";
import type { Promotion } from "../../domain/promotions/definition";
import { presentPromotion } from "../../domain/promotions/present";
import type { Definition } from "../../domain/promotions/validate";
import { ChannelSchema } from "../transactions/schemas";

export const PromotionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "pro_01jdz6b2c4d6f8h0j2k4m6p8r0" }),
});

const whole = (min: number, max: number) => z.number().int("must be a whole number").min(min).max(max);
/** An id or key naming another record: "" names none (and is no way to clear one: that is null or leaving it out). */
export const reference = (max: number) => z.string().min(1, "must not be empty").max(max);
const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" from 00:00 to 23:59')
  .openapi({ example: "17:00" });
/** A list of ids or keys an audience matches any of. */
const anyOf = <T extends z.ZodType>(item: T, description: string) =>
  z.array(item).min(1, "must list at least one (leave the list out not to restrict)").max(50).optional().openapi({
    description,
  });

export const ScheduleSchema = z
  .object({
    days_of_week: z
      .array(whole(1, 7))
      .min(1)
      .max(7)
      .optional()
      .openapi({
        description: "ISO days it applies on: 1 = Monday ... 7 = Sunday. Absent: every day",
        example: [5, 6],
      }),
    from_time: time
      .optional()
      .openapi({ description: "Local start of the daily window (inclusive); give to_time with it" }),
    to_time: time.optional().openapi({
      description:
        "Local end of the daily window (exclusive). Before from_time, the window crosses midnight and belongs to the day it starts on",
      example: "23:00",
    }),
    timezone: reference(64).optional().openapi({
      description: "IANA time zone of the days and times. Absent: the program's",
      example: "Europe/Lisbon",
    }),
  })
  .strict()
  .openapi("PromotionSchedule", { description: "When in the week and day the promotion applies (local wall time)" });

export const AudienceSchema = z
  .object({
    tiers: anyOf(reference(40), "Tier keys of the program: members holding one of them"),
    segments: anyOf(reference(64), "Segment ids of the program: members in one of them now"),
    earning_partners: anyOf(
      reference(64),
      "Partner ids with an agreement in the program: earns (activities, enrolments) made by one of them",
    ),
    channels: anyOf(ChannelSchema, "Earns made in one of these channels"),
  })
  .strict()
  .openapi("PromotionAudience", {
    description: "Who it applies to. Every list given must match (any entry of it); a list left out does not restrict",
  });

export const ConditionsSchema = z
  .object({
    min_purchase_minor: whole(1, 1e15).optional().openapi({
      description: "Only purchase earns of at least this amount (minor units); points-only earns never match",
    }),
  })
  .strict()
  .openapi("PromotionConditions");

export const ChallengeSchema = z
  .object({
    earns: whole(1, 1_000_000)
      .optional()
      .openapi({ description: "Completed at this many qualifying earns", example: 3 }),
    spend_minor: whole(1, 1e15)
      .optional()
      .openapi({ description: "Completed at this much qualifying spend (minor units)" }),
  })
  .strict()
  .openapi("PromotionChallenge", {
    description:
      "Trigger challenge only: the member's earns inside the promotion's window count towards it; reaching either target pays reward.bonus_points once",
  });

export const RewardSchema = z
  .object({
    multiplier_bps: whole(10_001, 1_000_000).optional().openapi({
      description:
        "Trigger earn only: the earn's own points times this / 10,000 (15000 = 1.5x, so 50% extra; at most 1000000 = 100x), the extra paid as a bonus",
      example: 20_000,
    }),
    bonus_points: whole(1, 1_000_000_000)
      .optional()
      .openapi({ description: "A fixed bonus; the one kind other triggers take" }),
    points_per_amount: z
      .object({ points: whole(1, 1_000_000), per_amount_minor: whole(1, 1e12) })
      .strict()
      .optional()
      .openapi({
        description:
          "Trigger earn only: floor(purchase amount_minor x points / per_amount_minor); 0 for points-only earns",
      }),
  })
  .strict()
  .openapi("PromotionReward", { description: "Exactly one of multiplier_bps, bonus_points, points_per_amount" });

const limit = (description: string) => whole(1, 1e12).nullable().optional().openapi({ description });

export const LimitsSchema = z
  .object({
    budget_points: limit(
      "Bonus points it may pay in all; an award that would pass it is cut to what is left, then it stops (promotion.budget_exhausted is sent once)",
    ),
    max_points_per_member: limit("Bonus points it may pay one member in all; an award is cut to what is left"),
    max_awards_per_member: limit("Awards it may pay one member"),
  })
  .strict()
  .openapi("PromotionLimits", { description: "Each absent or null: no limit" });

/** The request fields a promotion's definition is written with, as create takes them; PATCH takes each optionally. */
export const definitionFields = {
  name: z.string().trim().min(1).max(200).openapi({ example: "Double miles on weekend evenings" }),
  description: z.string().trim().max(2000).nullable().optional(),
  campaign_id: reference(64)
    .nullable()
    .optional()
    .openapi({ description: "A campaign of the program it belongs to; null: none" }),
  starts_at: z.iso.datetime({ offset: true }).openapi({ example: "2026-06-01T00:00:00Z" }),
  ends_at: z.iso.datetime({ offset: true }).nullable().optional().openapi({
    description: "Exclusive; after starts_at. Absent or null: open-ended",
    example: "2026-09-01T00:00:00Z",
  }),
  trigger: z.enum(["earn", "challenge", "referral", "enrolment", "activity"]).openapi({
    description:
      "earn: every earn that matches; challenge: once, when the member's earns reach `challenge`; referral: a referred member's first earn pays it and its referrer; enrolment: when a member enrols; activity: POST /v1/activities of one of `activity_types`",
  }),
  schedule: ScheduleSchema.nullable().optional(),
  audience: AudienceSchema.nullable().optional(),
  conditions: ConditionsSchema.nullable().optional(),
  challenge: ChallengeSchema.nullable().optional(),
  activity_types: z
    .array(z.string().regex(/^[a-z0-9_]{1,64}$/, "must be 1-64 of a-z, 0-9 and _"))
    .min(1)
    .max(50)
    .nullable()
    .optional()
    .openapi({ description: "Trigger activity only: the activity types it rewards", example: ["review_written"] }),
  reward: RewardSchema,
  limits: LimitsSchema.nullable().optional(),
  control_group_bps: whole(0, 5000).optional().openapi({
    description:
      "Share of members held out as a control group, in basis points (0 to 5000 = 50%): they get nothing, and GET /v1/promotions/{id}/performance compares them",
  }),
  stacking: z.enum(["stack", "exclusive"]).optional().openapi({
    description:
      "stack (default): adds to other promotions. exclusive: only the matching exclusive promotion of highest priority applies, with no other",
  }),
  priority: whole(-1_000_000, 1_000_000)
    .optional()
    .openapi({ description: "Higher first (ties: the older). Default 0" }),
};

type DefinitionBody = {
  [K in keyof typeof definitionFields]?: z.output<(typeof definitionFields)[K]>;
};

const date = (value: string) => new Date(value);

/**
 * The domain's fields of the definition fields a body sent (absent ones left out, so a PATCH changes only those;
 * `limits` keeps only the limits sent).
 */
export function definitionOf(body: DefinitionBody) {
  const fields: Partial<Omit<Definition, "budgetPoints" | "maxPointsPerMember" | "maxAwardsPerMember">> & {
    limits?: Partial<Pick<Definition, "budgetPoints" | "maxPointsPerMember" | "maxAwardsPerMember">>;
  } = {};
  if (body.name !== undefined) fields.name = body.name;
  if (body.description !== undefined) fields.description = body.description;
  if (body.campaign_id !== undefined) fields.campaignId = body.campaign_id;
  if (body.starts_at !== undefined) fields.startsAt = date(body.starts_at);
  if (body.ends_at !== undefined) fields.endsAt = body.ends_at === null ? null : date(body.ends_at);
  if (body.trigger !== undefined) fields.trigger = body.trigger;
  if (body.schedule !== undefined) fields.schedule = body.schedule;
  if (body.audience !== undefined) fields.audience = body.audience;
  if (body.conditions !== undefined) fields.conditions = body.conditions;
  if (body.challenge !== undefined) fields.challenge = body.challenge;
  if (body.activity_types !== undefined) fields.activityTypes = body.activity_types;
  if (body.reward !== undefined) fields.reward = body.reward;
  if (body.control_group_bps !== undefined) fields.controlGroupBps = body.control_group_bps;
  if (body.stacking !== undefined) fields.stacking = body.stacking;
  if (body.priority !== undefined) fields.priority = body.priority;
  if (body.limits !== undefined) {
    const limits = body.limits ?? { budget_points: null, max_points_per_member: null, max_awards_per_member: null };
    fields.limits = {};
    if (limits.budget_points !== undefined) fields.limits.budgetPoints = limits.budget_points;
    if (limits.max_points_per_member !== undefined) fields.limits.maxPointsPerMember = limits.max_points_per_member;
    if (limits.max_awards_per_member !== undefined) fields.limits.maxAwardsPerMember = limits.max_awards_per_member;
  }
  return fields;
}

/** What a new promotion leaves out is unset: no end, schedule, audience..., no control group, stacking, priority 0. */
const unset = {
  description: null,
  campaignId: null,
  endsAt: null,
  schedule: null,
  audience: null,
  conditions: null,
  challenge: null,
  activityTypes: null,
  controlGroupBps: 0,
  stacking: "stack",
  priority: 0,
} as const;

/** The whole definition of a create body. */
export function newDefinitionOf(
  body: DefinitionBody & Required<Pick<DefinitionBody, "name" | "starts_at" | "trigger" | "reward">>,
): Definition {
  const { limits, ...given } = definitionOf(body);
  return {
    ...unset,
    ...given,
    name: body.name,
    startsAt: new Date(body.starts_at),
    trigger: body.trigger,
    reward: body.reward,
    budgetPoints: limits?.budgetPoints ?? null,
    maxPointsPerMember: limits?.maxPointsPerMember ?? null,
    maxAwardsPerMember: limits?.maxAwardsPerMember ?? null,
  };
}

export const PromotionSchema = z
  .object({
    id: z.string().openapi({ example: "pro_01jdz6b2c4d6f8h0j2k4m6p8r0" }),
    program_id: z.string(),
    campaign_id: z.string().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(["draft", "active", "paused", "ended"]).openapi({
      description:
        "draft -> active | ended; active -> paused | ended; paused -> active | ended; ended is final. Only active promotions award (between starts_at and ends_at)",
    }),
    starts_at: z.iso.datetime(),
    ends_at: z.iso.datetime().nullable(),
    trigger: definitionFields.trigger,
    schedule: ScheduleSchema.nullable(),
    audience: AudienceSchema.nullable(),
    conditions: ConditionsSchema.nullable(),
    challenge: ChallengeSchema.nullable(),
    activity_types: z.array(z.string()).nullable(),
    reward: RewardSchema,
    limits: z.object({
      budget_points: z.number().int().nullable(),
      max_points_per_member: z.number().int().nullable(),
      max_awards_per_member: z.number().int().nullable(),
    }),
    control_group_bps: z.number().int(),
    stacking: z.enum(["stack", "exclusive"]),
    priority: z.number().int(),
    budget: z
      .object({
        points: z.number().int().nullable().openapi({ description: "limits.budget_points; null: no budget" }),
        used: z.number().int().openapi({
          description:
            "Bonus points it has paid. Reversing a rewarded earn takes the bonus back from the member but not from this",
        }),
        remaining: z.number().int().nullable(),
        exhausted_at: z.iso.datetime().nullable().openapi({ description: "When the budget ran out" }),
      })
      .openapi({ description: "What the budget has paid and has left" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Promotion");

export const toPromotion = (promotion: Promotion) => PromotionSchema.parse(presentPromotion(promotion));
