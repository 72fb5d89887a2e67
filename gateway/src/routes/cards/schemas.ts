import { z } from "@hono/zod-openapi";
import type { Card } from "../../domain/cards";

/**
 * A card number as clients type it: 4 to 32 letters or digits, with spaces and dashes anywhere (ignored: the
 * gateway stores and looks numbers up without them, upper-cased, so "4000 1234-5678" and "400012345678" are
 * the same card). Each group of the pattern must take a letter or digit, so it matches in linear time.
 */
export const CardNumber = z
  .string()
  .max(64)
  .regex(
    /^[ -]*(?:[A-Za-z0-9][ -]*){4,32}$/,
    "must be 4 to 32 letters or digits; spaces and dashes are allowed and ignored",
  )
  .openapi({ example: "4000 1234-5678 9010" });

/** A card as the member object lists it. */
export const MemberCardSchema = z
  .object({
    number: z
      .string()
      .openapi({ example: "4000123456789010", description: "Normalised: no spaces or dashes, upper case" }),
    linked_at: z.iso.datetime(),
  })
  .openapi("MemberCard");

/** A card with the member it is linked to, as linking and unlinking answer it. */
export const CardSchema = MemberCardSchema.extend({
  program_id: z.string().openapi({ example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
  external_id: z.string().openapi({ example: "SK-4471-0092" }),
}).openapi("Card");

export const toMemberCard = (card: Pick<Card, "number" | "linkedAt">) =>
  MemberCardSchema.parse({ number: card.number, linked_at: card.linkedAt.toISOString() });

export const toCard = (card: Card, externalId: string) =>
  CardSchema.parse({
    number: card.number,
    program_id: card.programId,
    external_id: externalId,
    linked_at: card.linkedAt.toISOString(),
  });
