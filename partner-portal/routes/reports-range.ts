import { daysIn } from "../../gateway/src/domain/reports/buckets";
import { kpiIntervals, maxKpiRangeDays } from "../../gateway/src/domain/reports/kpis";
import { addDays, isCalendarDay } from "../../gateway/src/domain/reports/range";

/**
 * The reports page's range, from its query: local days of the program's zone `from` to `to` (both included) and
 * an interval, typed or from a preset (the last 7, 30 or 90 days, the last 12 months). Everything lives in the
 * URL, so every view is a link and the page needs no script.
 */

export const reportIntervals = kpiIntervals;
export type ReportInterval = (typeof reportIntervals)[number];

/** The presets and the interval each one draws in. */
export const reportPresets = { "7d": "day", "30d": "day", "90d": "week", "12m": "month" } as const;
export type ReportPreset = keyof typeof reportPresets;
export const defaultPreset: ReportPreset = "30d";

/** A range of local days with its interval. */
export type ReportRange = { from: string; to: string; interval: ReportInterval };

/** The most days a range may have (by weeks or months), and by days: the KPI report's limits. */
export const maxRangeDays = maxKpiRangeDays.month;
export const maxDailyDays = maxKpiRangeDays.day;

export type ReportRangeProblem = {
  field: "from" | "to" | "interval";
  problem: "missing" | "invalid" | "afterEnd" | "future" | "tooLong" | "tooManyDays";
};

/** What the form shows: the range in force, its preset, the problems of the typed one and what was typed. */
export type ResolvedRange = {
  range: ReportRange;
  preset: ReportPreset | null;
  problems: ReportRangeProblem[];
  typed: { from: string; to: string; interval: string };
};

/** A preset's range ending `today`: N days, or 12 calendar months, this one so far included. */
export function presetRange(preset: ReportPreset, today: string): ReportRange {
  const interval = reportPresets[preset];
  if (preset === "12m") {
    // This month so far and the eleven before it, from the 1st.
    const [year = 0, month = 1] = today.split("-").map(Number);
    return { from: new Date(Date.UTC(year, month - 12, 1)).toISOString().slice(0, 10), to: today, interval };
  }
  return { from: addDays(today, 1 - Number.parseInt(preset, 10)), to: today, interval };
}

const isPreset = (value: string | undefined): value is ReportPreset =>
  value !== undefined && Object.hasOwn(reportPresets, value);
const isInterval = (value: string): value is ReportInterval => (reportIntervals as readonly string[]).includes(value);

/**
 * The range a query asks for: `from` and `to` (and `interval`, by default a day) when either is given, else a
 * `preset`, else the last 30 days. A typed range that cannot be used keeps the default and says why at each field.
 */
export function resolveReportRange(
  query: { from?: string; to?: string; interval?: string; preset?: string },
  today: string,
): ResolvedRange {
  const typed = { from: query.from?.trim() ?? "", to: query.to?.trim() ?? "", interval: query.interval ?? "" };
  const fallback = (problems: ReportRangeProblem[]): ResolvedRange => ({
    range: presetRange(defaultPreset, today),
    preset: problems.length === 0 ? defaultPreset : null,
    problems,
    typed,
  });
  if (!typed.from && !typed.to) {
    if (!isPreset(query.preset)) return fallback([]);
    const range = presetRange(query.preset, today);
    const interval = isInterval(typed.interval) ? typed.interval : range.interval;
    return { range: { ...range, interval }, preset: query.preset, problems: [], typed };
  }
  const problems: ReportRangeProblem[] = [];
  for (const field of ["from", "to"] as const) {
    if (!typed[field]) problems.push({ field, problem: "missing" });
    else if (!isCalendarDay(typed[field])) problems.push({ field, problem: "invalid" });
  }
  const interval = typed.interval === "" ? "day" : typed.interval;
  if (!isInterval(interval)) problems.push({ field: "interval", problem: "invalid" });
  if (problems.length > 0 || !isInterval(interval)) return fallback(problems);
  if (typed.to > today) problems.push({ field: "to", problem: "future" });
  if (typed.from > typed.to) problems.push({ field: "from", problem: "afterEnd" });
  else if (daysIn(typed.from, typed.to) > maxRangeDays) problems.push({ field: "from", problem: "tooLong" });
  else if (daysIn(typed.from, typed.to) > maxKpiRangeDays[interval])
    problems.push({ field: "interval", problem: "tooManyDays" });
  if (problems.length > 0) return fallback(problems);
  return { range: { from: typed.from, to: typed.to, interval }, preset: null, problems, typed };
}
