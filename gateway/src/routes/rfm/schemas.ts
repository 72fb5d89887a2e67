import { z } from "@hono/zod-openapi";
import type { MemberRfmView } from "../../domain/rfm/member-rfm";
import { rfmSegments, segmentGrid } from "../../domain/rfm/segments";
import type { RfmView } from "../../domain/rfm/view";

/** The segment of each R-by-F cell as a Markdown table, from the grid the scoring writes by. */
const gridTable = [
  "| R \\ F | F1 | F2 | F3 | F4 | F5 |",
  "|---|---|---|---|---|---|",
  ...segmentGrid.map((row, r) => `| R${r + 1} | ${row.map((segment) => `\`${segment}\``).join(" | ")} |`),
].join("\n");

/** How members are scored, for the descriptions of the RFM operations. */
export const rfmRules =
  "RFM scores a program's members by their earns in the trailing `window_days` (365 days), by the business " +
  "clock. Members with at least one earn (type `earn`, not fully reversed) in the window are scored; others " +
  "have no scores (`rfm: null`). **R** (recency): whole days since the last such earn, " +
  "floor((now - created_at) / 86,400,000); fewer is better. **F** (frequency): how many such earns (a fully " +
  "reversed earn does not count). **M** (monetary): spend, each earn's `purchase.amount_minor` if it was a " +
  "purchase, else its points, net of its reversals in proportion (amount x (points - reversed) / points, " +
  "rounded down). A program has one settlement currency and earns are refused in any other, so spend is never " +
  "summed across currencies. Each score is 1 + floor(5 x b / n), n being the members scored and b those whose " +
  "value is strictly worse (more days; fewer earns; less spend): equal values score equally, a lone member " +
  "scores 111, and the top score 5 needs at least five members scored. `score` is the three digits R, F, M " +
  '("545"). The segment is read from R and F:\n\n' +
  gridTable +
  "\n\nA daily job scores each program again once its last scoring is 24 hours old, and " +
  "`POST /v1/programs/{program_id}/rfm/recompute` scores it at once; a member no longer scored loses its scores.";

export const RfmSegmentSchema = z.enum(rfmSegments).openapi("RfmSegment", {
  description: `An RFM segment, read from the member's R and F scores:\n\n${gridTable}`,
});

const score = z.number().int().min(1).max(5);

/** The member's RFM scores (null until scored). */
export const MemberRfmSchema = z
  .object({
    r: score.openapi({ description: "Recency score, 1-5 (5: the most recent)" }),
    f: score.openapi({ description: "Frequency score, 1-5 (5: the most earns)" }),
    m: score.openapi({ description: "Monetary score, 1-5 (5: the most spend)" }),
    score: z
      .string()
      .regex(/^[1-5]{3}$/)
      .openapi({ example: "545", description: "R, F and M as three digits" }),
    segment: RfmSegmentSchema,
    computed_at: z.iso.datetime().openapi({ description: "When the program's scoring that scored it ran" }),
  })
  .openapi("MemberRfm", {
    description:
      "The member's RFM scores as its program's last scoring computed them (the rules and the segments: " +
      "`GET /v1/programs/{program_id}/rfm`)",
  });

export const toMemberRfm = (rfm: MemberRfmView | null) =>
  rfm && {
    r: rfm.r,
    f: rfm.f,
    m: rfm.m,
    score: rfm.score,
    segment: rfm.segment,
    computed_at: rfm.computedAt.toISOString(),
  };

const count = z.number().int().min(0);

export const RfmSchema = z
  .object({
    program_id: z.string(),
    computed_at: z.iso.datetime().nullable().openapi({ description: "When the program was last scored; null: never" }),
    window_days: z.number().int().openapi({ example: 365, description: "The trailing window of earns scored" }),
    members_scored: count.openapi({ description: "Members with at least one earn in the window" }),
    segments: z
      .array(z.object({ segment: RfmSegmentSchema, members: count }))
      .openapi({ description: "All eleven segments, in the order of `RfmSegment`, with 0 for an empty one" }),
    grid: z
      .array(z.array(count).length(5))
      .length(5)
      .openapi({
        description: "Members per cell: `grid[r - 1][f - 1]` counts the members scored R `r` and F `f`",
        example: [
          [4, 2, 1, 0, 0],
          [3, 2, 1, 1, 0],
          [2, 2, 3, 1, 1],
          [1, 3, 2, 2, 1],
          [1, 1, 2, 3, 5],
        ],
      }),
  })
  .openapi("Rfm", { description: "A program's last RFM scoring" });

export const toRfm = (view: RfmView) =>
  RfmSchema.parse({
    program_id: view.programId,
    computed_at: view.computedAt?.toISOString() ?? null,
    window_days: view.windowDays,
    members_scored: view.membersScored,
    segments: view.segments,
    grid: view.grid,
  });
