import { tzOffset } from "@date-fns/tz";
import type { OffsetChange } from "../../../db/queries/adhoc-run";

const minuteMs = 60_000;
const dayMs = 86_400_000;

const offsetAt = (timezone: string, ms: number) => tzOffset(timezone, new Date(ms)) * minuteMs;

/**
 * The UTC offsets of `timezone` over the instants [since, until): the one in force at `since`, then each change at
 * the minute it happens (Adelaide's half-hour zone changes at 16:30 UTC, not on an hour). So the database can place
 * each row in its local day with one `case` per change instead of a boundary per day. A zone changes at most once a
 * day, so the range is probed daily and each change found by halving to the minute: ten years cost some 3,700
 * look-ups.
 */
export function offsetChanges(timezone: string, since: number, until: number): OffsetChange[] {
  let current: OffsetChange = { from: since, offset: offsetAt(timezone, since) };
  const changes = [current];
  for (let at = since; at < until - 1; ) {
    const next = Math.min(at + dayMs, until - 1);
    const offset = offsetAt(timezone, next);
    if (offset !== current.offset) {
      // Offsets change on whole minutes: the minute `low` has the old one, the minute `high` the new one.
      let low = Math.floor(at / minuteMs);
      let high = Math.ceil(next / minuteMs);
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(timezone, middle * minuteMs) === current.offset) low = middle;
        else high = middle;
      }
      current = { from: high * minuteMs, offset };
      changes.push(current);
    }
    at = next;
  }
  return changes;
}
