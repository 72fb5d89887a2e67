/**
 * The eleven RFM segments, in the order the API lists them, and which one each cell of the R-by-F grid is.
 * A segment reads recency and frequency only (the classic 5x5 grid); M is shown beside them, not mapped.
 */
export const rfmSegments = [
  "champions",
  "loyal",
  "potential_loyalist",
  "new_customers",
  "promising",
  "need_attention",
  "about_to_sleep",
  "at_risk",
  "cannot_lose",
  "hibernating",
  "lost",
] as const;

export type RfmSegment = (typeof rfmSegments)[number];

/**
 * The segment of each cell: `segmentGrid[r - 1][f - 1]`. Low R means long since the last earn, low F few earns:
 *
 * | R \ F | F1             | F2                 | F3                 | F4        | F5          |
 * |-------|----------------|--------------------|--------------------|-----------|-------------|
 * | R1    | lost           | lost               | at_risk            | at_risk   | cannot_lose |
 * | R2    | hibernating    | hibernating        | at_risk            | at_risk   | cannot_lose |
 * | R3    | about_to_sleep | about_to_sleep     | need_attention     | loyal     | loyal       |
 * | R4    | promising      | potential_loyalist | potential_loyalist | loyal     | loyal       |
 * | R5    | new_customers  | potential_loyalist | potential_loyalist | champions | champions   |
 */
export const segmentGrid: readonly (readonly RfmSegment[])[] = [
  ["lost", "lost", "at_risk", "at_risk", "cannot_lose"],
  ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
  ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
  ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
  ["new_customers", "potential_loyalist", "potential_loyalist", "champions", "champions"],
];
