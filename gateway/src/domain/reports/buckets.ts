import { addDays, startOfLocalDay } from "./range";

/**
 * The calendar of reports: the local day of an instant in a program's IANA zone (Intl, so the zone's rules and
 * their daylight-saving changes are the platform's tz data), when a local day starts, and the day, ISO week and
 * month buckets a range of local days falls into. Days are `YYYY-MM-DD` strings; calendar arithmetic on them is
 * zone-free (a local date is a date).
 */

const dayMs = 86_400_000;
/** How many day starts the memo keeps (years of days of many zones) before it starts again. */
const startsKept = 100_000;

export type Interval = "day" | "week" | "month";

/** The first instant (ms) of each local day asked for, by zone and day. */
const starts = new Map<string, number>();

/**
 * The first instant (ms) of the local day `day` in `zone`: its midnight, or where a daylight-saving change skips
 * midnight, the change (range.ts, by @date-fns/tz). Remembered: it takes some 40 microseconds.
 */
export function dayStart(zone: string, day: string): number {
  const key = `${zone} ${day}`;
  let start = starts.get(key);
  if (start === undefined) {
    if (starts.size >= startsKept) starts.clear();
    start = startOfLocalDay(day, zone).getTime();
    starts.set(key, start);
  }
  return start;
}

/** One formatter per zone (en-CA writes dates as YYYY-MM-DD): building one costs far more than formatting. */
const formats = new Map<string, Intl.DateTimeFormat>();

/** Per zone, the local day last met and the instants `[start, end)` it spans. */
const lastDays = new Map<string, { day: string; start: number; end: number }>();

/**
 * The local day (`YYYY-MM-DD`) of the instant `ms` in `zone`. Folding a million journal rows asks this a million
 * times, mostly in time order: each zone remembers the day it last answered and the instants it spans, so the next
 * instant of that day costs two comparisons.
 */
export function localDay(zone: string, ms: number): string {
  const last = lastDays.get(zone);
  if (last && ms >= last.start && ms < last.end) return last.day;
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    formats.set(zone, format);
  }
  const day = format.format(ms);
  const span = { day, start: dayStart(zone, day), end: dayStart(zone, addDays(day, 1)) };
  if (ms >= span.start && ms < span.end) lastDays.set(zone, span);
  return day;
}

/** How many days from `from` to `to`, both included (1 for one day). */
export const daysIn = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / dayMs) + 1;

/** The days `from` to `to`, both included. */
export const daysOf = (from: string, to: string): string[] =>
  Array.from({ length: daysIn(from, to) }, (_, i) => addDays(from, i));

/** The first day of the bucket of `interval` that `day` is in: itself, its ISO week's Monday, or its month's 1st. */
export function bucketOf(day: string, interval: Interval): string {
  if (interval === "day") return day;
  if (interval === "month") return `${day.slice(0, 8)}01`;
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The last day of the bucket of `interval` that starts on `start`. */
function bucketEnd(start: string, interval: Interval): string {
  if (interval === "day") return start;
  if (interval === "week") return addDays(start, 6);
  // The day before the 1st of the next month (a month bucket starts on a 1st).
  const [year, month] = start.split("-").map(Number) as [number, number];
  return addDays(new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10), -1);
}

/**
 * One bucket of a range: the days `start` to `end` (both included) it counts, which are the whole bucket unless the
 * range begins or ends inside it (`whole` false), and the bucket's own first day.
 */
export type Bucket = { bucket: string; start: string; end: string; whole: boolean };

/** The buckets of `interval` that the local days `from` to `to` fall into, oldest first, clipped to the range. */
export function bucketsOf(from: string, to: string, interval: Interval): Bucket[] {
  const buckets: Bucket[] = [];
  for (let bucket = bucketOf(from, interval); bucket <= to; bucket = addDays(bucketEnd(bucket, interval), 1)) {
    const end = bucketEnd(bucket, interval);
    buckets.push({
      bucket,
      start: bucket < from ? from : bucket,
      end: end > to ? to : end,
      whole: bucket >= from && end <= to,
    });
  }
  return buckets;
}
