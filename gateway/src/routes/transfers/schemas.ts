import { z } from "@hono/zod-openapi";
import { ExternalId } from "../members/schemas";
import { PointsSchema } from "../transactions/schemas";

export const CreateTransferBody = z
  .object({
    program_id: z.string().min(1).openapi({ example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
    from_external_id: ExternalId.openapi({ description: "The member who gives the points" }),
    to_external_id: ExternalId.openapi({
      example: "SK-4471-0093",
      description: "The member of the same program who receives them",
    }),
    points: PointsSchema.openapi({ example: 1000, description: "Points the sender gives, the fee included" }),
    reference: z.string().trim().min(1).max(255).openapi({ example: "gift-2291", description: "Your reference" }),
  })
  .strict()
  .openapi("CreateTransfer");

export const TransferSchema = z
  .object({
    id: z.string().openapi({ example: "trf_01jdz6a2c4e6g8j0l2n4q6s8u0" }),
    program_id: z.string(),
    from_external_id: z.string(),
    to_external_id: z.string(),
    points: z.number().int().openapi({ example: 1000, description: "What the sender gave, the fee included" }),
    fee_points: z
      .number()
      .int()
      .openapi({ example: 25, description: "ceil(points x fee_bps / 10000); it stays with the program" }),
    received_points: z.number().int().openapi({ example: 975, description: "points - fee_points" }),
    from_balance_after: z.number().int().openapi({
      description: "The sender's available points after the transfer (after its hold, while held or once rejected)",
    }),
    to_balance_after: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The receiver's available points after the credit; null until it is credited" }),
    reference: z.string(),
    status: z.enum(["completed", "held", "rejected"]),
    review_id: z.string().nullable().openapi({ description: "Set when the transfer was held for review" }),
    created_at: z.iso.datetime(),
  })
  .openapi("Transfer");

export const TransferIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "trf_01jdz6a2c4e6g8j0l2n4q6s8u0" }),
});
