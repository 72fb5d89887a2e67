import {
  countActiveMembers,
  findRedeemPrice,
  type KpiProgram,
  listDailyMovements,
  listOwnedPrograms,
  sumPointsHeld,
} from "../db/queries/kpis";
import { findLastPeriod, listStatementsPage } from "../db/queries/settlements";
import type { Deps } from "../deps";
import { computePeriod } from "./settlement/close";
import { lineAmountMinor } from "./settlement/money";

/** The figures of a program over a range that can be compared with the previous range. */
export type RangeTotals = {
  /** Points issued: earns and bonuses (the owner's tier and promotion bonuses), net of their reversals. */
  issued: number;
  redeemed: number;
  convertedIn: number;
  convertedOut: number;
  activeMembers: number;
  /** Redeemed ÷ issued in the range (0 when nothing was issued). */
  redemptionRate: number;
};

export type ProgramKpis = RangeTotals & {
  programId: string;
  name: string;
  currency: string;
  /** The same figures over the previous range of the same length. */
  previous: RangeTotals;
  /** Points members hold now, available and pending. */
  pointsHeld: number;
  /** Points members hold (available and pending) at the owner's current redeem price, in minor units. */
  liabilityMinor: number;
  /** Per UTC day of the range, oldest first. */
  daily: { day: string; issued: number; redeemed: number }[];
};

const dayMs = 86_400_000;

/** A range of whole UTC days, `start` to `end` inclusive (`YYYY-MM-DD`). */
export type DayRange = { start: string; end: string; days: number };

/** The dashboard's preset ranges, in days ending today; 30 is the default. */
export const rangePresets = [7, 30, 90] as const;
export type RangePreset = (typeof rangePresets)[number];
export const defaultPreset: RangePreset = 30;

/** The longest custom range the dashboard draws (a chart bar a day). */
export const maxRangeDays = 366;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/** The range of `days` UTC days ending with `end` (inclusive). */
export function rangeEnding(end: string, days: number): DayRange {
  return { start: isoDay(dayStart(end) - (days - 1) * dayMs), end, days };
}

/** The `days` days ending today (the UTC day of `now`), today included so far. */
export const presetRange = (days: number, now: Date): DayRange => rangeEnding(isoDay(now.getTime()), days);

/** The range of the same length just before `range` (30 days before the last 30). */
export const previousRange = (range: DayRange): DayRange =>
  rangeEnding(isoDay(dayStart(range.start) - dayMs), range.days);

/** The instants `[since, until)` a range covers: from the first day's midnight to the midnight after the last. */
export const rangeBounds = (range: DayRange) => ({
  since: new Date(dayStart(range.start)),
  until: new Date(dayStart(range.end) + dayMs),
});

/** Why a custom range was refused, per field. */
export type RangeProblem = {
  field: "start" | "end";
  problem: "missing" | "invalid" | "afterEnd" | "future" | "tooLong";
};

/** A real calendar day as `YYYY-MM-DD` (not 2026-02-30). */
const isDay = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(dayStart(value)) && isoDay(dayStart(value)) === value;

/**
 * The dashboard's range from its query: `start` and `end` (a custom range, both days included), else `days`
 * (a preset), else the last 30 days. A custom range that cannot be used gives its problems (and the default
 * range), so the page can say what is wrong and keep what was typed.
 */
export function resolveRange(
  query: { days?: string; start?: string; end?: string },
  now: Date,
): { range: DayRange; preset: RangePreset | null; problems: RangeProblem[] } {
  const start = query.start?.trim() ?? "";
  const end = query.end?.trim() ?? "";
  const fallback = (problems: RangeProblem[]) => ({
    range: presetRange(defaultPreset, now),
    preset: defaultPreset,
    problems,
  });
  if (start || end) {
    const problems: RangeProblem[] = [];
    for (const [field, value] of [
      ["start", start],
      ["end", end],
    ] as const) {
      if (!value) problems.push({ field, problem: "missing" });
      else if (!isDay(value)) problems.push({ field, problem: "invalid" });
    }
    if (problems.length > 0) return fallback(problems);
    const today = isoDay(now.getTime());
    if (end > today) problems.push({ field: "end", problem: "future" });
    if (start > end) problems.push({ field: "start", problem: "afterEnd" });
    const days = Math.round((dayStart(end) - dayStart(start)) / dayMs) + 1;
    if (problems.length === 0 && days > maxRangeDays) problems.push({ field: "start", problem: "tooLong" });
    if (problems.length > 0) return fallback(problems);
    return { range: { start, end, days }, preset: null, problems };
  }
  const preset = rangePresets.find((days) => String(days) === query.days) ?? defaultPreset;
  return { range: presetRange(preset, now), preset, problems: [] };
}

/** How a figure moved against the previous range: up or down by `ratio`, unchanged, or new (nothing before). */
export type Change = { direction: "up" | "down"; ratio: number } | { direction: "same" } | { direction: "new" };

export function changeOf(current: number, previous: number): Change {
  if (current === previous) return { direction: "same" };
  if (previous === 0) return { direction: "new" };
  const ratio = Math.abs(current - previous) / Math.abs(previous);
  return { direction: current > previous ? "up" : "down", ratio };
}

/** A partner's net in one currency: positive, the coalition owes the partner; negative, the partner owes. */
export type Net = { currency: string; netMinor: number };

export type PartnerDashboard = {
  range: DayRange;
  previous: DayRange;
  programs: ProgramKpis[];
  settlement: {
    /** The period not closed yet, from the last close's end until now, as closing it now would settle it. */
    open: { since: Date | null; nets: Net[] };
    /** The statements of the last closed period that has one for the partner. */
    last: { start: Date; end: Date; nets: Net[] } | null;
  };
};

/**
 * The dashboard of a partner over `range`: the figures of every program it owns, against the range before it,
 * and where its settlement stands (the open period so far and the last statement).
 */
export async function partnerDashboard(
  deps: Pick<Deps, "db" | "reader" | "clock" | "ids">,
  partnerId: string,
  range: DayRange,
): Promise<PartnerDashboard> {
  const now = deps.clock.now();
  const previous = previousRange(range);
  const owned = await listOwnedPrograms(deps.reader, partnerId);
  const [programs, open, last] = await Promise.all([
    Promise.all(owned.map((program) => programKpis(deps.reader, program, range, previous, now))),
    openPeriodNets(deps, partnerId),
    lastStatementNets(deps, partnerId),
  ]);
  return { range, previous, programs, settlement: { open, last } };
}

/** The partner's nets if the open period were closed now: the same computation a close makes, nothing written. */
async function openPeriodNets(deps: Pick<Deps, "db" | "reader" | "clock" | "ids">, partnerId: string) {
  const now = deps.clock.now();
  const { previous, statements } = await computePeriod(deps, {
    start: (await findLastPeriod(deps.db))?.end ?? new Date(0),
    end: now,
  });
  return {
    since: previous?.end ?? null,
    nets: statements
      .filter((statement) => statement.partner.id === partnerId)
      .map((statement) => ({ currency: statement.currency, netMinor: statement.totals.net_amount_minor })),
  };
}

async function lastStatementNets(
  deps: Pick<Deps, "db">,
  partnerId: string,
): Promise<PartnerDashboard["settlement"]["last"]> {
  const [latest] = (await listStatementsPage(deps.db, { limit: 1 }, { partnerId })).data;
  if (!latest) return null;
  const { data } = await listStatementsPage(deps.db, { limit: 50 }, { partnerId, periodId: latest.period.id });
  return {
    start: latest.period.start,
    end: latest.period.end,
    nets: data
      .map(({ statement }) => ({ currency: statement.currency, netMinor: statement.netAmountMinor }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/** A program's movements totalled over `[since, until)`. */
async function rangeTotals(reader: Deps["reader"], programId: string, range: DayRange) {
  const { since, until } = rangeBounds(range);
  const [movements, activeMembers] = await Promise.all([
    listDailyMovements(reader, programId, since, until),
    countActiveMembers(reader, programId, since, until),
  ]);
  const total = (pick: (movement: (typeof movements)[number]) => number) =>
    movements.reduce((sum, movement) => sum + pick(movement), 0);
  const issued = total((movement) => movement.issued);
  const redeemed = total((movement) => movement.redeemed);
  const totals: RangeTotals = {
    issued,
    redeemed,
    convertedIn: total((movement) => movement.convertedIn),
    convertedOut: total((movement) => movement.convertedOut),
    activeMembers,
    redemptionRate: issued > 0 ? redeemed / issued : 0,
  };
  return { totals, movements };
}

/**
 * A program's figures over `range` and `previous`: points issued and redeemed net of reversals, converted in
 * and out, members with any movement, the redemption rate; and the outstanding liability now.
 */
async function programKpis(
  reader: Deps["reader"],
  program: KpiProgram,
  range: DayRange,
  previous: DayRange,
  now: Date,
): Promise<ProgramKpis> {
  const [current, before, held, price] = await Promise.all([
    rangeTotals(reader, program.id, range),
    rangeTotals(reader, program.id, previous),
    sumPointsHeld(reader, program.id),
    findRedeemPrice(reader, program.id, program.ownerId, now),
  ]);
  const byDay = new Map(current.movements.map((movement) => [movement.day, movement]));
  const first = dayStart(range.start);
  const daily = Array.from({ length: range.days }, (_, i) => {
    const date = isoDay(first + i * dayMs);
    const movement = byDay.get(date);
    return { day: date, issued: movement?.issued ?? 0, redeemed: movement?.redeemed ?? 0 };
  });
  return {
    programId: program.id,
    name: program.name,
    currency: program.currency,
    ...current.totals,
    previous: before.totals,
    pointsHeld: held,
    liabilityMinor: lineAmountMinor(held, price ?? 0, program.currency),
    daily,
  };
}
