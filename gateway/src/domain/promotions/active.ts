import { findActivePromotions } from "../../db/queries/promotion-awards";
import type { SqlReader } from "../../db/reader";
import type { Program } from "../programs";
import { type Promotion, promotionOf } from "./definition";

/** A program's `active` promotions, parsed, as of its `promotions_version`. */
export type ActivePromotions = { version: number; promotions: Promotion[] };

/** The sets earns last read, per reader (so per gateway or isolate), by program. */
const recent = new WeakMap<SqlReader, Map<string, ActivePromotions>>();

/** The program's active promotions read now, remembered for `recentActivePromotions`. */
export async function freshActivePromotions(reader: SqlReader, programId: string): Promise<ActivePromotions> {
  const found = await findActivePromotions(reader, programId);
  const active = { version: found.version, promotions: found.rows.map(promotionOf) };
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
  if (program.promotionsVersion === 0) return { version: 0, promotions: [] };
  const known = recent.get(reader)?.get(program.id);
  if (known && known.version >= program.promotionsVersion) return known;
  return freshActivePromotions(reader, program.id);
}
