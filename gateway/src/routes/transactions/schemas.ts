import { z } from "@hono/zod-openapi";
import type { ledgerTransactions } from "../../db/schema";
import { transactionBody } from "../../domain/ledger/present";
import { CurrencyCode } from "../programs/schemas";

export const PointsSchema = z
  .number()
  .int("must be a whole number of points")
  .min(1)
  .max(1_000_000_000)
  .openapi({ example: 1500 });

/** A purchase an earn converts to points at the earning partner's earn rate. */
export const PurchaseSchema = z
  .object({ amount_minor: z.number().int().min(1).max(1_000_000_000_000), currency: CurrencyCode })
  .strict()
  .openapi({ description: "Earn at the agreement's earn rate instead of a fixed number of points" });

/**
 * An earn (or its simulation) gives exactly one of `points` and `purchase`: the check, and how JSON Schema says it
 * (`not: {}`: the other must be absent), for `.superRefine` and `.openapi` of the body.
 */
export const pointsOrPurchase = {
  check: (body: { points?: unknown; purchase?: unknown }, ctx: z.RefinementCtx) => {
    if ((body.points === undefined) === (body.purchase === undefined))
      ctx.addIssue({ code: "custom", path: ["points"], message: "send exactly one of points or purchase" });
  },
  oneOf: [
    { type: "object" as const, properties: { points: {}, purchase: { not: {} } }, required: ["points"] },
    { type: "object" as const, properties: { purchase: {}, points: { not: {} } }, required: ["purchase"] },
  ],
};

/** Where an earn or burn happened; reports group by it. */
export const ChannelSchema = z
  .enum(["store", "web", "app", "call_center", "partner", "other"])
  .openapi("Channel", { example: "store" });
export type Channel = z.infer<typeof ChannelSchema>;

export const TransactionSchema = z
  .object({
    id: z.string().openapi({ example: "txn_01jdz4c8v2b4n6m8q0w2e4r6t8" }),
    type: z.enum([
      "earn",
      "burn",
      "reversal",
      "expiry",
      "conversion_out",
      "conversion_in",
      "hold",
      "release",
      "adjustment",
      "bonus",
      "transfer_out",
      "transfer_in",
    ]),
    program_id: z.string(),
    member_id: z.string(),
    external_id: z.string(),
    partner_id: z.string().openapi({ description: "The partner that caused the movement" }),
    points: z
      .number()
      .int()
      .openapi({
        example: 1500,
        description:
          "How many points moved, in the direction `type` says; for an `adjustment`, signed as it was made (negative: " +
          "a debit)",
      }),
    reversed_points: z.number().int().openapi({ description: "How much of it later reversals took back" }),
    balance_after: z
      .number()
      .int()
      .openapi({ example: 14_000, description: "The member's available points right after" }),
    reference: z.string().nullable().openapi({ example: "order-88412" }),
    description: z.string().nullable(),
    original_transaction_id: z.string().nullable().openapi({ description: "For reversals: what they reverse" }),
    purchase: z.object({ amount_minor: z.number().int(), currency: z.string() }).nullable(),
    expires_at: z.iso.datetime().nullable().openapi({ description: "For earns in programs whose points expire" }),
    channel: ChannelSchema.nullable().openapi({ description: "Where an earn or burn happened, if the partner said" }),
    store_id: z.string().nullable().openapi({ description: "The partner's store, if it said" }),
    reason: z.string().nullable().openapi({ description: "For adjustments: why it was made (null otherwise)" }),
    actor: z.string().nullable().openapi({
      description: "For adjustments: who made it, the client id of the credential (null otherwise)",
    }),
    bonus: z
      .object({
        source: z.enum(["tier", "tier_upgrade", "promotion"]),
        source_id: z.string().openapi({ description: "The tier key, or the promotion id" }),
      })
      .nullable()
      .openapi({ description: "For bonuses: what paid it (null otherwise)" }),
    parent_transaction_id: z
      .string()
      .nullable()
      .openapi({ description: "For bonuses: the earn that caused it, where there is one" }),
    status: z.literal("held").optional().openapi({ description: "Only on a burn held for review (202)" }),
    review_id: z
      .string()
      .optional()
      .openapi({ description: "Only on a burn held for review: the review to decide it" }),
    created_at: z.iso.datetime(),
  })
  .openapi("Transaction");

const BonusLineSchema = z
  .object({
    transaction_id: z.string().openapi({ description: "The bonus transaction (type `bonus`)" }),
    source: z.enum(["tier", "tier_upgrade", "promotion"]),
    source_id: z.string().openapi({ description: "The tier key, or the promotion id" }),
    points: z.number().int(),
  })
  .openapi("BonusLine", {
    description:
      "A bonus of this member written with the transaction. A referral's bonus to the referrer is written in the " +
      "same atomic write as the referred member's first earn but is the referrer's transaction (it is not listed " +
      "here, and a reversal of that earn leaves it with the referrer).",
  });

/** Bonuses written with an earn (or taken back with its reversal), each its own transaction. */
export const bonusFields = {
  bonus_points: z.number().int().openapi({ description: "The sum of `bonuses`" }),
  bonuses: z.array(BonusLineSchema),
};

// Flat objects rather than `allOf` Transaction, so the SDK's types read as one object.
export const EarnResultSchema = z
  .object({ ...TransactionSchema.shape, ...bonusFields })
  .openapi({
    description:
      "The earn, with the bonuses written with it (the tier's accrual bonus, a tier's upgrade bonus, promotions' " +
      "awards); `balance_after` includes the member's own",
  })
  .openapi("EarnResult");

export const ReversalResultSchema = z
  .object({ ...TransactionSchema.shape, ...bonusFields })
  .openapi({
    description:
      "The reversal, with the bonuses of the earn it took back in proportion (each a reversal of its bonus); " +
      "`balance_after` includes them",
  })
  .openapi("ReversalResult");

type TransactionRecord = typeof ledgerTransactions.$inferSelect;

/** A stored transaction as the API shows it; `debit` says which way an adjustment went (see `transactionBody`). */
export const toTransaction = (row: TransactionRecord & { debit?: boolean }, externalId: string) =>
  TransactionSchema.parse({ ...transactionBody(row, { externalId }), balance_after: row.balanceAfter });

export const TransactionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "txn_01jdz4c8v2b4n6m8q0w2e4r6t8" }),
});
