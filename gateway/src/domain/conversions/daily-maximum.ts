import { addDailyUsageStatement, findDailyUsage } from "../../db/queries/conversions";
import type { Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import type { Conversion } from "./present";

/** The UTC day a conversion counts against the daily maximum. */
const usageDay = (at: Date) => at.toISOString().slice(0, 10);

/** Points the member already converted to `toProgramId` today (completed and held conversions). */
export function convertedToday(deps: Pick<Deps, "reader">, memberId: string, toProgramId: string, at: Date) {
  return findDailyUsage(deps.reader, memberId, toProgramId, usageDay(at));
}

/** Adds (or, for a rejected conversion, removes) points from the member's daily total; its CHECK holds the limit. */
export const countTowardsDailyMaximum = (c: Conversion, limit: number, at: Date, sign: 1 | -1 = 1): Statement =>
  addDailyUsageStatement({
    memberId: c.fromMemberId,
    toProgramId: c.toProgramId,
    day: usageDay(at),
    points: sign * c.fromPoints,
    limitPoints: limit,
  });
