import { z } from "@hono/zod-openapi";
import { rfmSegments } from "../../domain/rfm/segments";
import { fields, ops } from "../../domain/segments/rule";
import type { Segment } from "../../domain/segments/segments";

export const SegmentIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "seg_01jdz5k2m4n6p8r0t2v4x6z8b0" }),
});

export const ProgramIdPathParam = z.object({
  program_id: z
    .string()
    .openapi({ param: { name: "program_id", in: "path" }, example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
});

/** A rule as JSON; the gateway checks it and answers every problem at its path (`rule.all[1].value`). */
export const RuleSchema = z.record(z.string(), z.unknown()).openapi("SegmentRule", {
  description:
    "`{ all: [rule...] }`, `{ any: [rule...] }`, `{ not: rule }`, or a condition `{ field, op, value }`. Fields: " +
    `${Object.keys(fields).join(", ")}, attributes.<key>. Ops: ${ops.join(", ")} (\`in\`/\`nin\` take a list, ` +
    "`exists` true or false). Numbers for balance.available, lifetime_earned, days_since_last_earn (whole days " +
    "since the last earn not fully reversed), days_since_enrolment; 1-5 for rfm.r, rfm.f, rfm.m; " +
    `rfm.segment one of ${rfmSegments.join(", ")}; segment a segment id of the same program (no cycles). ` +
    'An attribute compares by type: the string "1", the number 1 and true are different. A condition on a value ' +
    "the member lacks is false, and `neq`/`nin` are its exact opposite (true for a member without it). At most 8 " +
    "levels and 100 conditions.",
  example: {
    all: [
      { field: "tier", op: "eq", value: "gold" },
      { field: "days_since_last_earn", op: "gt", value: 180 },
      { field: "attributes.favourite_brand", op: "eq", value: "brand-x" },
    ],
  },
});

export const SegmentSchema = z
  .object({
    id: z.string().openapi({ example: "seg_01jdz5k2m4n6p8r0t2v4x6z8b0" }),
    program_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    type: z.enum(["dynamic", "static"]),
    rule: RuleSchema.nullable().openapi({ description: "A dynamic segment's rule; null for a static list" }),
    member_count: z.number().int().openapi({ description: "How many members it held when last counted" }),
    counted_at: z.iso.datetime().nullable().openapi({
      description:
        "When `member_count` was counted: when the segment was created, its rule changed or its list changed, and daily for dynamic ones",
    }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Segment");

export const toSegment = (segment: Segment) =>
  SegmentSchema.parse({
    id: segment.id,
    program_id: segment.programId,
    name: segment.name,
    description: segment.description,
    type: segment.type,
    rule: segment.rule ? JSON.parse(segment.rule) : null,
    member_count: segment.memberCount,
    counted_at: segment.countedAt?.toISOString() ?? null,
    created_at: segment.createdAt.toISOString(),
    updated_at: segment.updatedAt.toISOString(),
  });

export const segmentFields = {
  name: z.string().trim().min(1).max(200).openapi({ example: "Lapsed Gold members" }),
  description: z.string().trim().max(1000).nullable().optional(),
};
