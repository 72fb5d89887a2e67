import { type ActiveSource, countActiveMembers, countNewMembers } from "../../db/queries/report-kpis";
import {
  type Figures,
  findProgramRollup,
  type Grain,
  listDailyFigures,
  listProgramJournal,
  type PointsFigures,
  pointsFigureNames,
} from "../../db/queries/report-rollups";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, findProgram, managedProgram, type Program } from "../programs";
import { type Bucket, bucketsOf, dayStart, daysIn, daysOf, type Interval } from "./buckets";
import { addFigures, foldTransactions, noFigures } from "./fold";
import type { ProgramReportHead } from "./program-range";
import { addDays, type LocalRange, reportRange } from "./range";

export const kpiIntervals = ["day", "week", "month"] as const satisfies readonly Interval[];

/** The longest range per interval, in days: 400 daily rows, or about three years of weeks or months. */
export const maxKpiRangeDays: Record<Interval, number> = { day: 400, week: 1_096, month: 1_096 };

/** A bucket's or the range's KPIs, as the API names them. */
export type KpiFigures = { new_members: number; active_members: number } & PointsFigures & {
    redemption_rate: number | null;
  };

/** One row of the series: the local days `start` to `end` (both included) of one day, ISO week or month. */
export type KpiRow = { start: string; end: string } & KpiFigures;

export type KpiReport = ProgramReportHead & { interval: Interval; series: KpiRow[]; totals: KpiFigures };

export type KpiQuery = { from?: string; to?: string; interval?: Interval };

type KpiRange = LocalRange & { interval: Interval };

/**
 * The range a query asks for, in local dates of `zone` (range.ts: 400 naming a bad `from` or `to`; by default the
 * last 30 days ending today), by days unless `interval` says; 400 naming `to` for a range longer than the interval
 * allows.
 */
export function kpiRange(query: KpiQuery, zone: string, now: Date): KpiRange {
  const range = reportRange(query, zone, now);
  const interval = query.interval ?? "day";
  const longest = maxKpiRangeDays[interval];
  if (daysIn(range.from, range.to) > longest) {
    const message = `must be within ${longest} days of from (${range.from}) with interval=${interval}`;
    throw new ApiError("validation_failed", `Bad KPI range: to ${message}.`, { errors: [{ path: "to", message }] });
  }
  return { ...range, interval };
}

/**
 * `(points_burned + points_redeemed + points_converted_out) / points_earned`, to 4 decimals; null when nothing was
 * earned (net of reversals, 0 or less).
 */
export function redemptionRate(figures: PointsFigures): number | null {
  if (figures.points_earned <= 0) return null;
  const spent = figures.points_burned + figures.points_redeemed + figures.points_converted_out;
  return Math.round((spent * 10_000) / figures.points_earned) / 10_000;
}

/** A program's KPIs (see `programKpis`), whoever asks: for the callers that checked access already (bench, portal). */
export async function kpiReport(deps: Pick<Deps, "db" | "reader" | "clock">, programId: string, query: KpiQuery) {
  return programKpis(deps, await findProgram(deps.db, programId), query);
}

/** A program's KPIs for its owner (`programs:manage`) or the operator: others 403 with an agreement, else 404. */
export async function managedKpiReport(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  query: KpiQuery,
) {
  return programKpis(deps, await managedProgram(deps, caller, programId), query);
}

/** How often a report reads again when the roll-up job moved under it, before it folds the journal alone. */
const rollupReads = 3;

/**
 * A program's KPIs over a range of local days, a row per day, ISO week or month it touches (empty ones included,
 * the first and last clipped to the range), and the totals. Figures are the roll-ups of the range's days plus the
 * journal rows after them folded by the same fold, so they always equal the journal; a program whose zone changed
 * since its roll-ups were made folds its journal alone until the job rebuilds them.
 */
export async function programKpis(
  deps: Pick<Deps, "reader" | "clock">,
  program: Pick<Program, "id" | "timezone">,
  query: KpiQuery,
): Promise<KpiReport> {
  const range = kpiRange(query, program.timezone, deps.clock.now());
  for (let read = 1; ; read += 1) {
    const report = await readKpis(deps.reader, program, range, read <= rollupReads);
    if (report) return report;
  }
}

/**
 * One reading of the KPIs, from the roll-ups and the rows after them (`useRollups`) or from the journal alone. The
 * roll-ups' position is read before and after: if a step of the job landed in between, the reads may disagree, and
 * the answer is null (read again).
 */
async function readKpis(
  reader: Deps["reader"],
  program: Pick<Program, "id" | "timezone">,
  range: KpiRange,
  useRollups: boolean,
): Promise<KpiReport | null> {
  const zone = program.timezone;
  const before = await findProgramRollup(reader, program.id);
  const rolled = useRollups && (before.rolledIn ?? zone) === zone;
  const buckets = bucketsOf(range.from, range.to, range.interval);
  /** Each day of the range, and the row (its bucket's `start`) it counts in. */
  const rowOf = new Map(
    buckets.flatMap((bucket) => daysOf(bucket.start, bucket.end).map((day) => [day, bucket.start])),
  );
  const window = { since: range.since.getTime(), until: range.until.getTime() };
  const [tail, rolledDays] = await Promise.all([
    listProgramJournal(reader, program.id, rolled ? before.lastRowid : null, window),
    rolled && before.rolledIn ? listDailyFigures(reader, program.id, range.from, range.to) : [],
  ]);
  const folded = foldTransactions(tail, () => zone);

  const figures = new Map(buckets.map((bucket) => [bucket.start, noFigures()]));
  for (const { day, figures: dayFigures } of [...rolledDays, ...folded.days]) {
    const row = figures.get(rowOf.get(day) ?? "");
    if (row) addFigures(row, dayFigures);
  }
  const activeAfter = folded.active.flatMap(({ grain, bucket, memberId }) => {
    const row = grain === "day" ? rowOf.get(bucket) : undefined;
    return row
      ? [
          { key: row, memberId },
          { key: totalKey, memberId },
        ]
      : [];
  });
  const [active, enrolled] = await Promise.all([
    countActiveMembers(reader, program.id, rolled ? activeSources(range, buckets) : [], activeAfter),
    countNewMembers(
      reader,
      program.id,
      buckets.map((bucket) => ({
        key: bucket.start,
        since: dayStart(zone, bucket.start),
        until: dayStart(zone, addDays(bucket.end, 1)),
      })),
    ),
  ]);
  const after = await findProgramRollup(reader, program.id);
  if (rolled && (after.lastRowid !== before.lastRowid || after.rolledIn !== before.rolledIn)) return null;

  const total = noFigures();
  const series = buckets.map((bucket): KpiRow => {
    const bucketFigures = figures.get(bucket.start) ?? noFigures();
    addFigures(total, bucketFigures);
    return {
      start: bucket.start,
      end: bucket.end,
      ...kpiFigures(bucketFigures, enrolled.get(bucket.start) ?? 0, active.get(bucket.start) ?? 0),
    };
  });
  const newMembers = series.reduce((sum, row) => sum + row.new_members, 0);
  return {
    program_id: program.id,
    timezone: zone,
    from: range.from,
    to: range.to,
    interval: range.interval,
    series,
    totals: kpiFigures(total, newMembers, active.get(totalKey) ?? 0),
  };
}

/** The key the range's distinct active members are counted under. */
const totalKey = "total";

/**
 * Which roll-up buckets hold each row's active members, and the range's: a whole week or month its own bucket, a
 * clipped one its days; the range its whole months and the days around them. A member is counted once per key.
 */
function activeSources(range: KpiRange, buckets: Bucket[]): ActiveSource[] {
  const whole = (key: string, grain: Grain, bucket: Bucket) =>
    bucket.whole
      ? [{ key, grain, bucket: bucket.bucket }]
      : daysOf(bucket.start, bucket.end).map((day) => ({ key, grain: "day" as const, bucket: day }));
  return [
    ...buckets.flatMap((bucket) => whole(bucket.start, range.interval, bucket)),
    ...bucketsOf(range.from, range.to, "month").flatMap((month) => whole(totalKey, "month", month)),
  ];
}

const kpiFigures = (figures: Figures, newMembers: number, activeMembers: number): KpiFigures => ({
  new_members: newMembers,
  active_members: activeMembers,
  ...(Object.fromEntries(pointsFigureNames.map((name) => [name, figures[name]])) as PointsFigures),
  redemption_rate: redemptionRate(figures),
});

/** The report's tables, each downloadable as CSV with these columns (the JSON names, in order). */
export const kpiTables = {
  series: ["start", "end", "new_members", "active_members", ...pointsFigureNames, "redemption_rate"],
  totals: ["new_members", "active_members", ...pointsFigureNames, "redemption_rate"],
} as const satisfies { series: readonly (keyof KpiRow)[]; totals: readonly (keyof KpiFigures)[] };
