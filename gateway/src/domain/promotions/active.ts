import { findActivePromotions } from "../../db/queries/promotion-awards";
import type { ReferencedSegment } from "../../db/queries/segment-rules";
import { findSegmentRules } from "../../db/queries/segments";
import type { SqlReader } from "../../db/reader";
import type { Program } from "../programs";
import { ruleOf } from "../segments/segments";
import { type Promotion, promotionOf } from "./definition";

/** A program's segments by id, as audiences evaluate them (rules inline the segments they reference). */
export type SegmentRules = ReadonlyMap<string, ReferencedSegment>;

/**
 * A program's `active` promotions, parsed, as of its `promotions_version`, with the program's segments when an
 * audience names one (segment writes bump the version too, so both are as of it).
 */
export type ActivePromotions = { version: number; promotions: Promotion[]; segments: SegmentRules };

/** The program's segments, read on the hot reader. */
export async function segmentRulesOf(reader: SqlReader, programId: string): Promise<SegmentRules> {
  const rows = await findSegmentRules(reader, programId);
  return new Map(rows.map((row) => [row.id, { type: row.type, rule: ruleOf(row) }]));
}

/** The sets earns last read, per reader (so per gateway or isolate), by program. */
const recent = new WeakMap<SqlReader, Map<string, ActivePromotions>>();

/** The program's active promotions read now, remembered for `recentActivePromotions`. */
export async function freshActivePromotions(reader: SqlReader, programId: string): Promise<ActivePromotions> {
  const found = await findActivePromotions(reader, programId);
  const promotions = found.rows.map(promotionOf);
  // Read after the version: the segments are at least as new as it, never older.
  const segments = promotions.some((promotion) => promotion.audience?.segments?.length)
    ? await segmentRulesOf(reader, programId)
    : new Map();
  const active = { version: found.version, promotions, segments };
  let sets = recent.get(reader);
  if (!sets) {
    sets = new Map();
    recent.set(reader, sets);
  }
  sets.set(programId, active);
  return active;
}

/**
 * The program's active promotions as an earn last read them, unless the program (as the request read it) has a
 * newer `promotions_version`: then read now. A program that never had a promotion (version 0) reads nothing. The
 * budgets used in the set may lag (awards do not bump the version): writes planned on it assert what they assumed
 * and plan again with `freshActivePromotions`, which refreshes it.
 */
export async function recentActivePromotions(
  reader: SqlReader,
  program: Pick<Program, "id" | "promotionsVersion">,
): Promise<ActivePromotions> {
  if (program.promotionsVersion === 0) return { version: 0, promotions: [], segments: new Map() };
  const known = recent.get(reader)?.get(program.id);
  if (known && known.version >= program.promotionsVersion) return known;
  return freshActivePromotions(reader, program.id);
}
