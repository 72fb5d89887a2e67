import { z } from "@hono/zod-openapi";
import type { fraudEvents } from "../../db/schema";

/** What a fraud rule decided about one operation: which rule, whose operation, and the decision. */
export const FraudEventSchema = z
  .object({
    id: z.string().openapi({ example: "fev_01jdz6a1c3e5g7j9l1n3q5s7u9" }),
    rule: z.string().openapi({ example: "max_conversion_points_per_member_per_day" }),
    decision: z.enum(["rejected", "held"]),
    operation: z.enum(["earn", "burn", "conversion"]),
    partner_id: z.string(),
    program_id: z.string(),
    member_id: z.string(),
    points: z.number().int(),
    detail: z.string(),
    review_id: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi("FraudEvent");

/** A stored fraud event as the API shows it. */
export const toFraudEvent = (row: typeof fraudEvents.$inferSelect) =>
  FraudEventSchema.parse({
    id: row.id,
    rule: row.rule,
    decision: row.decision,
    operation: row.operation,
    partner_id: row.partnerId,
    program_id: row.programId,
    member_id: row.memberId,
    points: row.points,
    detail: row.detail,
    review_id: row.reviewId,
    created_at: row.createdAt.toISOString(),
  });
