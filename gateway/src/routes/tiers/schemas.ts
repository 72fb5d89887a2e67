import { z } from "@hono/zod-openapi";
import type { TierTableView } from "../../domain/tiers/table";

export const TierKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "must be 1-40 lower-case letters, digits, _ or -, such as gold")
  .openapi({ example: "gold" });

const minimum = (what: string) =>
  z
    .number()
    .int()
    .min(1, "must be at least 1 (leave it out for no minimum)")
    .max(1_000_000_000_000)
    .nullable()
    .optional()
    .openapi({ description: `Qualifies with at least this much ${what} in the window` });

/** A tier as the program's owner writes it. */
export const TierInputSchema = z
  .object({
    key: TierKey,
    name: z.string().trim().min(1).max(100).openapi({ example: "Gold" }),
    min_points: minimum("points earned"),
    min_purchases: minimum("earns (purchases)"),
    min_spend_minor: minimum("spend (purchase amounts, minor units)"),
    earn_bonus_bps: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(0)
      .openapi({ example: 2500, description: "Accrual bonus on every earn, basis points of its points (2500 = 25%)" }),
    upgrade_bonus_points: z
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .default(0)
      .openapi({ example: 500, description: "Paid once per member, ever, on reaching the tier by qualifying" }),
  })
  .strict()
  .openapi("TierInput");

export const TierTableInputSchema = z
  .object({
    qualification_window_days: z
      .number()
      .int()
      .min(30)
      .max(1095)
      .default(365)
      .openapi({ description: "The trailing window qualifying activity is counted over" }),
    tiers: z.array(TierInputSchema).max(50).openapi({
      description: "Lowest first; the first is the entry tier, without minimums. Empty removes the tiers.",
    }),
  })
  .strict()
  .openapi("TierTableInput", {
    example: {
      qualification_window_days: 365,
      tiers: [
        { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
        {
          key: "gold",
          name: "Gold",
          min_points: 5000,
          min_purchases: 20,
          earn_bonus_bps: 2500,
          upgrade_bonus_points: 500,
        },
      ],
    },
  });

const TierSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    min_points: z.number().int().nullable(),
    min_purchases: z.number().int().nullable(),
    min_spend_minor: z.number().int().nullable(),
    earn_bonus_bps: z.number().int(),
    upgrade_bonus_points: z.number().int(),
    member_count: z.number().int().openapi({ description: "Members holding the tier now" }),
  })
  .openapi("Tier");

export const TierTableSchema = z
  .object({
    program_id: z.string(),
    qualification_window_days: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Null while the program has no tiers" }),
    tiers: z.array(TierSchema).openapi({ description: "Lowest first; empty while the program has no tiers" }),
    updated_at: z.iso.datetime().nullable(),
  })
  .openapi("TierTable");

export const toTierTable = (view: TierTableView) =>
  TierTableSchema.parse({
    program_id: view.program.id,
    qualification_window_days: view.windowDays,
    tiers: view.tiers.map((tier) => ({
      key: tier.key,
      name: tier.name,
      min_points: tier.minPoints,
      min_purchases: tier.minPurchases,
      min_spend_minor: tier.minSpendMinor,
      earn_bonus_bps: tier.earnBonusBps,
      upgrade_bonus_points: tier.upgradeBonusPoints,
      member_count: tier.memberCount,
    })),
    updated_at: view.updatedAt?.toISOString() ?? null,
  });

export const MemberTierChangedSchema = z
  .object({
    program_id: z.string(),
    external_id: z.string(),
    from: z.string().nullable().openapi({ description: "The tier key before (null: none)" }),
    to: z.string(),
    reason: z.enum(["qualified", "requalified", "manual"]),
  })
  .openapi("MemberTierChanged");

export const ProgramIdPathParam = z.object({
  program_id: z
    .string()
    .openapi({ param: { name: "program_id", in: "path" }, example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
});
