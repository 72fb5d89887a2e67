import { z } from "@hono/zod-openapi";
import type { Card } from "../../domain/cards";
import type { Balance, Member } from "../../domain/members";
import { MemberCardSchema, toMemberCard } from "../cards/schemas";

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

export const MemberSchema = z
  .object({
    id: z.string().openapi({ example: "mem_01jdz4a1b2c3d4e5f6g7h8j9k0" }),
    program_id: z.string(),
    external_id: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    locale: z.string().nullable(),
    created_at: z.iso.datetime(),
    balance: BalanceSchema,
    cards: z.array(MemberCardSchema).openapi({ description: "The cards linked to the member, oldest link first" }),
  })
  .openapi("Member");

export const toMember = (member: Member, balance: Balance, cards: Pick<Card, "number" | "linkedAt">[] = []) =>
  MemberSchema.parse({
    id: member.id,
    program_id: member.programId,
    external_id: member.externalId,
    email: member.email,
    name: member.name,
    locale: member.locale,
    created_at: member.createdAt.toISOString(),
    balance,
    cards: cards.map(toMemberCard),
  });
