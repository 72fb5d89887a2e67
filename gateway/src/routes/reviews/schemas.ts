import { z } from "@hono/zod-openapi";
import type { reviews } from "../../db/schema";
import { ConversionSchema } from "../conversions/schemas";
import { RedemptionSchema } from "../redemptions/schemas";
import { TransactionSchema } from "../transactions/schemas";
import { TransferSchema } from "../transfers/schemas";

export const ReviewSchema = z
  .object({
    id: z.string().openapi({ example: "rev_01jdz5f3h5k7m9p1r3t5v7x9z1" }),
    kind: z.enum(["conversion", "burn", "redemption", "transfer"]),
    status: z.enum(["pending", "approved", "rejected"]),
    rule: z.string().openapi({ example: "review_threshold", description: "The rule that held the operation" }),
    reason: z.string(),
    partner_id: z.string().openapi({ description: "The partner whose request was held" }),
    program_id: z.string(),
    member_id: z.string(),
    points: z.number().int().openapi({ description: "Points reserved while the review is pending" }),
    conversion_id: z.string().nullable(),
    redemption_id: z.string().nullable().openapi({ description: "For a held redemption: the order" }),
    transfer_id: z.string().nullable().openapi({ description: "For a held transfer: the transfer" }),
    decided_by: z.string().nullable().openapi({ description: "Client id of the operator credential that decided" }),
    decision_reason: z.string().nullable(),
    decided_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi("Review");

export const DecidedReviewSchema = ReviewSchema.extend({
  conversion: ConversionSchema.nullable().openapi({ description: "For a conversion review" }),
  transaction: TransactionSchema.nullable().openapi({
    description: "For a burn or redemption review: the burn, or the release",
  }),
  redemption: RedemptionSchema.optional().openapi({ description: "For a redemption review: the order as decided" }),
  transfer: TransferSchema.optional().openapi({ description: "For a transfer review: the transfer as decided" }),
}).openapi("DecidedReview");

export const toReview = (row: typeof reviews.$inferSelect) =>
  ReviewSchema.parse({
    id: row.id,
    kind: row.kind,
    status: row.status,
    rule: row.rule,
    reason: row.reason,
    partner_id: row.partnerId,
    program_id: row.programId,
    member_id: row.memberId,
    points: row.points,
    conversion_id: row.conversionId,
    redemption_id: row.redemptionId,
    transfer_id: row.transferId,
    decided_by: row.decidedBy,
    decision_reason: row.decisionReason,
    decided_at: row.decidedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  });
