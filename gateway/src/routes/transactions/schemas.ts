import { z } from "@hono/zod-openapi";
import type { ledgerTransactions } from "../../db/schema";
import { transactionBody } from "../../domain/ledger/present";

export const PointsSchema = z
  .number()
  .int("must be a whole number of points")
  .min(1)
  .max(1_000_000_000)
  .openapi({ example: 1500 });

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
    ]),
    program_id: z.string(),
    member_id: z.string(),
    external_id: z.string(),
    partner_id: z.string().openapi({ description: "The partner that caused the movement" }),
    points: z.number().int().openapi({ example: 1500 }),
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
    status: z.literal("held").optional().openapi({ description: "Only on a burn held for review (202)" }),
    review_id: z
      .string()
      .optional()
      .openapi({ description: "Only on a burn held for review: the review to decide it" }),
    created_at: z.iso.datetime(),
  })
  .openapi("Transaction");

type TransactionRecord = typeof ledgerTransactions.$inferSelect;

export const toTransaction = (row: TransactionRecord, externalId: string) =>
  TransactionSchema.parse({ ...transactionBody(row, { externalId }), balance_after: row.balanceAfter });

export const TransactionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "txn_01jdz4c8v2b4n6m8q0w2e4r6t8" }),
});
