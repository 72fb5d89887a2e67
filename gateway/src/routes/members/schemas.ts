import { z } from "@hono/zod-openapi";
import { attributesOf, type Member, type MemberDetails, maxAttributes } from "../../domain/members";
import type { MemberRfmView } from "../../domain/rfm/member-rfm";
import type { MemberTierView } from "../../domain/tiers/member-tier";
import { MemberCardSchema, toMemberCard } from "../cards/schemas";
import { MemberRfmSchema, toMemberRfm } from "../rfm/schemas";

export const ExternalId = z
  .string()
  .regex(/^[A-Za-z0-9._:@+-]{1,128}$/, "must be 1 to 128 letters, digits or . _ : @ + -")
  .openapi({ example: "SK-4471-0092" });

export const MemberPathParams = z.object({
  program_id: z
    .string()
    .openapi({ param: { name: "program_id", in: "path" }, example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
  external_id: ExternalId.openapi({ param: { name: "external_id", in: "path" } }),
});

export const BalanceSchema = z
  .object({
    available: z.number().int().openapi({ example: 12_500, description: "Spendable now" }),
    pending: z.number().int().openapi({ example: 0, description: "Reserved by held operations, not spendable" }),
    lifetime_earned: z.number().int().openapi({ example: 40_000 }),
    expiring: z
      .array(z.object({ points: z.number().int(), expires_at: z.iso.datetime() }))
      .openapi({ description: "Points that will expire, soonest first (oldest points are used first)" }),
  })
  .openapi("Balance");

/** An attribute's name: 1 to 64 letters, digits, `_`, `.` or `-`. */
const AttributeKey = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1 to 64 letters, digits or _ . -")
  .refine((key) => key !== "__proto__", "is a reserved name");

const attributeValues = [
  z.string().max(500),
  z.number(), // finite: zod refuses Infinity and NaN
  z.boolean(),
] as const;
const flatValue = "must be a string (at most 500 characters), a finite number or a boolean, not an object or a list";

/** The program's own facts about a member: at most 50 keys of flat values. */
export const AttributesSchema = z
  .record(AttributeKey, z.union(attributeValues, { error: flatValue }))
  .refine((attributes) => Object.keys(attributes).length <= maxAttributes, `must have at most ${maxAttributes} keys`)
  .openapi("MemberAttributes", {
    description: `The program's own facts about the member: at most ${maxAttributes} keys (1 to 64 letters, digits, _ . -) of strings (at most 500 characters), numbers or booleans`,
    example: { favourite_store: "lisbon-chiado", newsletter: true, household_size: 3 },
  });

/** Attribute changes, merged into the member's: a key set to null is removed. */
export const AttributesPatchSchema = z
  .record(AttributeKey, z.union([...attributeValues, z.null()], { error: `${flatValue} (null removes it)` }))
  .refine(
    (attributes) => Object.keys(attributes).length <= 2 * maxAttributes,
    `must have at most ${2 * maxAttributes} keys`,
  )
  .openapi("MemberAttributesPatch", {
    description: `Merged into the member's attributes: keys given replace theirs, a key set to null is removed; at most ${maxAttributes} keys after the merge`,
    example: { favourite_store: "porto-ribeira", newsletter: null },
  });

/** A birth date, YYYY-MM-DD: a real date from 1900 on (the gateway also refuses dates after today). */
export const BirthDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((date) => {
    const parsed = new Date(`${date}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) && date >= "1900-01-01";
  }, "must be a real date, from 1900-01-01 on")
  .openapi({ example: "1988-04-23" });

/** The profile fields enrolment and updates share. */
export const profileFields = {
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, "must be a language tag such as en, pt-BR or ru"),
};

/** The member's tier (null while the program has no tiers). */
const MemberTierSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    since: z.iso.datetime(),
    held_until: z.iso.datetime().nullable(),
    progress: z
      .object({
        next_tier_key: z.string(),
        points_needed: z.number().int().nullable(),
        purchases_needed: z.number().int().nullable(),
        spend_minor_needed: z.number().int().nullable(),
      })
      .nullable(),
  })
  .openapi("MemberTier");

const memberFields = {
  id: z.string().openapi({ example: "mem_01jdz4a1b2c3d4e5f6g7h8j9k0" }),
  program_id: z.string(),
  external_id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  locale: z.string().nullable(),
  birth_date: z.string().nullable().openapi({ example: "1988-04-23" }),
  attributes: AttributesSchema,
  referred_by: z.string().nullable().openapi({ description: "The external id of the member who referred this one" }),
  tier: MemberTierSchema.nullable().openapi({ description: "Null while the program has no tiers" }),
  rfm: MemberRfmSchema.nullable().openapi({
    description: "Null while the member is not scored: not yet, or without an earn in the last 365 days",
  }),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  erased_at: z.iso
    .datetime()
    .nullable()
    .openapi({
      description:
        "When the member's personal data was erased (POST .../erase): email, name, locale and birth_date are null and " +
        "attributes empty from then on, and the member can no longer earn, burn or change. Null while it was not",
    }),
};

/** A member in a list: the profile, without the balance and cards (GET the member for those). */
export const MemberSummarySchema = z.object(memberFields).openapi("MemberSummary");

export const MemberSchema = z
  .object({
    ...memberFields,
    balance: BalanceSchema,
    cards: z.array(MemberCardSchema).openapi({ description: "The cards linked to the member, oldest link first" }),
  })
  .openapi("Member");

/** The member's tier as the API shows it. */
const toMemberTier = (tier: MemberTierView | null) =>
  tier && {
    key: tier.key,
    name: tier.name,
    since: tier.since.toISOString(),
    held_until: tier.heldUntil?.toISOString() ?? null,
    progress: tier.progress && {
      next_tier_key: tier.progress.nextTierKey,
      points_needed: tier.progress.pointsNeeded,
      purchases_needed: tier.progress.purchasesNeeded,
      spend_minor_needed: tier.progress.spendMinorNeeded,
    },
  };

const profileOf = (
  member: Member,
  referredBy: string | null,
  tier: MemberTierView | null,
  rfm: MemberRfmView | null,
) => ({
  id: member.id,
  program_id: member.programId,
  external_id: member.externalId,
  email: member.email,
  name: member.name,
  locale: member.locale,
  birth_date: member.birthDate,
  attributes: attributesOf(member),
  referred_by: referredBy,
  tier: toMemberTier(tier),
  rfm: toMemberRfm(rfm),
  created_at: member.createdAt.toISOString(),
  updated_at: (member.updatedAt ?? member.createdAt).toISOString(),
  erased_at: member.erasedAt?.toISOString() ?? null,
});

export const toMemberSummary = (
  member: Member,
  referredBy: string | null,
  tier: MemberTierView | null,
  rfm: MemberRfmView | null,
) => MemberSummarySchema.parse(profileOf(member, referredBy, tier, rfm));

export const toMember = (member: Member, details: MemberDetails) =>
  MemberSchema.parse({
    ...profileOf(member, details.referredBy, details.tier, details.rfm),
    balance: details.balance,
    cards: details.cards.map(toMemberCard),
  });
