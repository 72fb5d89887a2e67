import { z } from "@hono/zod-openapi";
import type { CatalogueReward } from "../../domain/rewards/catalogue";
import type { Checked, RowChecks } from "../../domain/rewards/import";
import { presentReward } from "../../domain/rewards/present";
import { fulfilments, rewardTypes } from "../../domain/rewards/reward";
import type { RewardInput, RewardPatch } from "../../domain/rewards/validate";
import { fieldPath } from "../../errors";
import { reference } from "../promotions/schemas";

export const RewardIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "rwd_01jdz7c3e5g7j9k1m3p5r7t9v1" }),
});

const whole = (min: number) => z.number().int("must be a whole number").min(min).max(Number.MAX_SAFE_INTEGER);
const moment = (description: string) => z.iso.datetime({ offset: true }).nullable().optional().openapi({ description });
const description = z.string().trim().max(2000).nullable().optional();

const TranslationSchema = z
  .object({ name: z.string().trim().min(1).max(200), description })
  .strict()
  .openapi("RewardTranslation");

/** The fields a reward is written with, as create takes them; PATCH takes each optionally. */
export const rewardFields = {
  sku: z
    .string()
    .min(1)
    .max(64)
    .regex(/^\P{C}+$/u, "must be printable characters, without control characters")
    .regex(/^\S(.*\S)?$/u, "must not start or end with a space")
    .openapi({ description: "Your product code; unique in the program", example: "GIFT-50" }),
  name: z.string().trim().min(1).max(200).openapi({ example: "Gift card 50" }),
  description: description.openapi({ example: "A 50 EUR gift card for any store of the network" }),
  type: z.enum(rewardTypes),
  points_price: whole(1)
    .max(1_000_000_000)
    .openapi({ description: "Points a unit costs (at most 1,000,000,000)", example: 5_000 }),
  tiers: z
    .array(reference(64))
    .min(1, "must list at least one (leave tiers out, or null, for every member)")
    .max(50)
    .nullable()
    .optional()
    .openapi({
      description: "Keys of the program's tiers whose members may redeem it (each once); absent or null: every member",
      example: ["gold", "platinum"],
    }),
  stock: whole(0).nullable().optional().openapi({
    description:
      "Units left to redeem; absent or null: unlimited. Not for `code` rewards (400): their stock is their available codes",
    example: 250,
  }),
  per_member_limit: whole(1)
    .nullable()
    .optional()
    .openapi({ description: "Units one member may redeem in all; absent or null: no limit", example: 2 }),
  fulfilment: z.enum(fulfilments).openapi({
    description:
      "`code`: a voucher code from the reward's pool (POST /v1/rewards/{id}/codes) is handed out at once; `partner`, `manual`: the order waits to be fulfilled",
  }),
  fulfilling_partner_id: reference(64).nullable().optional().openapi({
    description:
      "The partner that fulfils orders, which must have an agreement in the program: a redemption is its burn on settlement statements. Absent or null: the program's owner",
  }),
  available_from: moment("From when it may be redeemed; absent or null: already"),
  available_until: moment("Until when it may be redeemed (after available_from); absent or null: no end"),
  active: z.boolean().openapi({ description: "Whether it may be redeemed (within its dates)" }),
  translations: z
    .object({
      en: TranslationSchema.optional(),
      "pt-BR": TranslationSchema.optional(),
      ru: TranslationSchema.optional(),
    })
    .strict()
    .optional()
    .openapi({
      description: "Its name and description by locale (en, pt-BR, ru). A PATCH replaces them all ({} removes them)",
      example: { "pt-BR": { name: "Vale-presente 50" }, ru: { name: "Подарочная карта 50" } },
    }),
};

export const CreateRewardBody = z
  .object(rewardFields)
  .strict()
  .openapi("CreateReward", {
    example: {
      sku: "GIFT-50",
      name: "Gift card 50",
      description: "A 50 EUR gift card for any store of the network",
      type: "voucher",
      points_price: 5_000,
      per_member_limit: 2,
      fulfilment: "code",
      available_from: "2026-01-01T00:00:00Z",
      active: true,
      translations: { "pt-BR": { name: "Vale-presente 50" }, ru: { name: "Подарочная карта 50" } },
    },
  });

export const UpdateRewardBody = z
  .object(rewardFields)
  .partial()
  .strict()
  .openapi("UpdateReward", {
    description:
      "Only the fields sent change; null clears an optional one; `translations` replaces them all. `stock` sets what is left to redeem now.",
    example: { points_price: 4_500, active: true },
  });

type RewardBody = { [K in keyof typeof rewardFields]?: z.output<(typeof rewardFields)[K]> };

const date = (value: string | null) => (value === null ? null : new Date(value));

/** The domain's fields of those a body sent (absent ones left out, so a PATCH changes only those). */
export function rewardPatchOf(body: RewardBody): RewardPatch {
  const fields: RewardPatch = {};
  if (body.sku !== undefined) fields.sku = body.sku;
  if (body.name !== undefined) fields.name = body.name;
  if (body.description !== undefined) fields.description = body.description;
  if (body.type !== undefined) fields.type = body.type;
  if (body.points_price !== undefined) fields.pointsPrice = body.points_price;
  if (body.tiers !== undefined) fields.tiers = body.tiers;
  if (body.stock !== undefined) fields.stock = body.stock;
  if (body.per_member_limit !== undefined) fields.perMemberLimit = body.per_member_limit;
  if (body.fulfilment !== undefined) fields.fulfilment = body.fulfilment;
  if (body.fulfilling_partner_id !== undefined) fields.fulfillingPartnerId = body.fulfilling_partner_id;
  if (body.available_from !== undefined) fields.availableFrom = date(body.available_from);
  if (body.available_until !== undefined) fields.availableUntil = date(body.available_until);
  if (body.active !== undefined) fields.active = body.active;
  if (body.translations !== undefined) fields.translations = body.translations;
  return fields;
}

/** A create body as the domain's whole reward: what it leaves out is unset (null, no translations). */
export const rewardInputOf = (body: z.output<typeof CreateRewardBody>): RewardInput => ({
  description: null,
  tiers: null,
  stock: null,
  perMemberLimit: null,
  fulfillingPartnerId: null,
  availableFrom: null,
  availableUntil: null,
  translations: {},
  ...rewardPatchOf(body),
  sku: body.sku,
  name: body.name,
  type: body.type,
  pointsPrice: body.points_price,
  fulfilment: body.fulfilment,
  active: body.active,
});

function checked<S extends z.ZodType, T>(schema: S, fields: unknown, value: (body: z.output<S>) => T): Checked<T> {
  const parsed = schema.safeParse(fields);
  if (parsed.success) return { value: value(parsed.data) };
  return {
    problems: parsed.error.issues.map((issue) => ({ path: fieldPath(issue.path), message: issue.message })),
  };
}

/** An import's rows checked exactly as the create and PATCH bodies are. */
export const rowChecks: RowChecks = {
  create: (fields) => checked(CreateRewardBody, fields, rewardInputOf),
  update: (fields) => checked(UpdateRewardBody, fields, rewardPatchOf),
};

const TranslationView = z.object({ name: z.string(), description: z.string().nullable() });

export const RewardSchema = z
  .object({
    id: z.string().openapi({ example: "rwd_01jdz7c3e5g7j9k1m3p5r7t9v1" }),
    program_id: z.string(),
    sku: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    type: z.enum(rewardTypes),
    points_price: z.number().int(),
    tiers: z.array(z.string()).nullable().openapi({ description: "The tiers that may redeem it; null: every member" }),
    stock: z.number().int().nullable().openapi({
      description:
        "Units left to redeem (held orders reserve theirs); a `code` reward's available codes; null: unlimited",
    }),
    per_member_limit: z.number().int().nullable(),
    fulfilment: z.enum(fulfilments),
    fulfilling_partner_id: z.string().nullable().openapi({ description: "Null: the program's owner fulfils orders" }),
    available_from: z.iso.datetime().nullable(),
    available_until: z.iso.datetime().nullable(),
    active: z.boolean(),
    translations: z
      .object({ en: TranslationView.optional(), "pt-BR": TranslationView.optional(), ru: TranslationView.optional() })
      .openapi({ description: "Name and description by locale, for the locales it has" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Reward");

export const toReward = (reward: CatalogueReward) => RewardSchema.parse(presentReward(reward));
