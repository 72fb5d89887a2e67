import type { Schedule } from "./definition";

/** A moment as a wall clock in some time zone shows it: ISO weekday (1 = Monday) and minutes since midnight. */
export type WallTime = { weekday: number; minutes: number };

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The wall time of `at` in `timeZone` (Intl, so the zone's rules, DST included, are the platform's tz data): what a
 * clock on the wall there reads, which is what a schedule speaks of.
 */
export function wallTime(at: Date, timeZone: string): WallTime {
  // Every earn asks for the same minute: formatting costs microseconds, the memo nothing. Zones' offsets are whole
  // minutes since 1972 (Monrovia's -0:44:30 was the last), so a UTC minute is one wall minute.
  const minute = Math.floor(at.getTime() / 60_000);
  const known = lastMinute.get(timeZone);
  if (known?.minute === minute) return known.wall;
  const wall = formattedWallTime(at, timeZone);
  lastMinute.set(timeZone, { minute, wall });
  return wall;
}

/** The wall time `wallTime` last computed per zone, with its UTC minute. */
const lastMinute = new Map<string, { minute: number; wall: WallTime }>();

function formattedWallTime(at: Date, timeZone: string): WallTime {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatterOf(timeZone).formatToParts(at)) {
    if (part.type === "weekday") weekday = weekdays[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  if (weekday === 0) throw new Error(`no weekday formatting ${at.toISOString()} in ${timeZone}`);
  return { weekday, minutes: hour * 60 + minute };
}

/** "HH:MM" as minutes since midnight. */
const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The ISO weekday before `weekday` (Monday's is Sunday). */
const dayBefore = (weekday: number): number => (weekday === 1 ? 7 : weekday - 1);

/**
 * Whether a schedule holds at wall time `t`. Days are ISO weekdays (absent: every day). The hours are
 * `from_time <= t < to_time`; when `from_time` is after `to_time` the window crosses midnight and belongs to the day
 * it starts on: `t >= from_time` on a listed day, or `t < to_time` on the day after a listed day. Comparing wall
 * clocks is what makes daylight saving come out as people read a schedule: a 02:00-03:00 window does not happen on
 * the night clocks spring over it, and on the night they fall back 01:30 happens twice and matches both times.
 */
export function scheduleHolds(schedule: Omit<Schedule, "timezone">, t: WallTime): boolean {
  const days = schedule.days_of_week;
  const on = (weekday: number) => !days || days.length === 0 || days.includes(weekday);
  if (schedule.from_time === undefined || schedule.to_time === undefined) return on(t.weekday);
  const from = minutesOf(schedule.from_time);
  const to = minutesOf(schedule.to_time);
  if (from < to) return on(t.weekday) && from <= t.minutes && t.minutes < to;
  return (on(t.weekday) && t.minutes >= from) || (on(dayBefore(t.weekday)) && t.minutes < to);
}

/**
 * Whether a promotion applies at `at` by its dates (`starts_at <= at < ends_at`, open-ended without `ends_at`) and
 * its schedule, read in the schedule's time zone or else the program's.
 */
export function inSchedule(
  promotion: { startsAt: Date; endsAt: Date | null; schedule: Schedule | null },
  at: Date,
  programTimeZone: string,
): boolean {
  if (at < promotion.startsAt || (promotion.endsAt !== null && at >= promotion.endsAt)) return false;
  const schedule = promotion.schedule;
  if (!schedule) return true;
  return scheduleHolds(schedule, wallTime(at, schedule.timezone ?? programTimeZone));
}
