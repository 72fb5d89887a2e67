import { TZDate } from "@date-fns/tz";
import { ApiError } from "../../errors";

/**
 * A report's range: the local dates `from` to `to` (both included) of a time zone, and the instants `[since, until)`
 * they cover, from the first day's local midnight to the midnight after the last. Local days are what a program's
 * managers count in; across a daylight-saving change a day lasts 23 or 25 hours, and where midnight does not exist
 * (Santiago's spring) the day starts when it does: @date-fns/tz places both with the zone's own rules.
 */
export type LocalRange = { from: string; to: string; timezone: string; since: Date; until: Date };

/** How many days a range covers by default, ending today: the last 30 days. */
export const defaultRangeDays = 30;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

/** The day `days` after a `YYYY-MM-DD` day (before it, when negative), on the calendar alone. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  const parts = dayPattern.exec(day);
  if (!parts) return false;
  const at = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
  return at.getUTCFullYear() === Number(parts[1]) && at.toISOString().slice(0, 10) === day;
}

/** The instant a local day starts in `timezone`. */
export function startOfLocalDay(day: string, timezone: string): Date {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, date, timezone).getTime());
}

/** The local date (`YYYY-MM-DD`) of an instant in `timezone`. */
export function localDayOf(at: Date, timezone: string): string {
  const local = new TZDate(at.getTime(), timezone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(local.getFullYear()).padStart(4, "0")}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** The range of local days `from` to `to` (both included) in `timezone`. */
export function rangeOf(from: string, to: string, timezone: string): LocalRange {
  return {
    from,
    to,
    timezone,
    since: startOfLocalDay(from, timezone),
    until: startOfLocalDay(addDays(to, 1), timezone),
  };
}

const refuse = (path: "from" | "to", message: string) =>
  new ApiError("validation_failed", `Bad report range: ${path} ${message}.`, { errors: [{ path, message }] });

/**
 * The range a report's `from` and `to` ask for, as local dates of `timezone`: without either, the last 30 days
 * ending today (today included, so far); with only `from`, from it to today; with only `to`, the 30 days ending
 * then. 400 `validation_failed` naming the parameter for a date that is not a real `YYYY-MM-DD` day, or a `to`
 * before `from`.
 */
export function reportRange(query: { from?: string; to?: string }, timezone: string, now: Date): LocalRange {
  for (const path of ["from", "to"] as const) {
    const day = query[path];
    if (day !== undefined && !isCalendarDay(day)) throw refuse(path, "must be a calendar date, YYYY-MM-DD");
  }
  const to = query.to ?? localDayOf(now, timezone);
  const from = query.from ?? addDays(to, 1 - defaultRangeDays);
  if (to < from)
    throw query.to === undefined
      ? refuse("from", `must not be after today (${to}), where the range ends without to`)
      : refuse("to", `must not be before from (${from})`);
  return rangeOf(from, to, timezone);
}
