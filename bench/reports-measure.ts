import Database from "libsql";
import { addDays, type LocalRange, localDayOf, rangeOf } from "../gateway/src/domain/reports/range";
import { type Timing, timing } from "./segments-measure";

/** The 12 whole months before the current one, in the program's zone: what a manager's yearly view asks for. */
export function lastTwelveMonths(timezone: string, now: Date): LocalRange {
  const today = localDayOf(now, timezone);
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  const [year, month] = firstOfMonth.split("-").map(Number) as [number, number];
  const from = `${year - 1}-${String(month).padStart(2, "0")}-01`;
  return rangeOf(from, addDays(firstOfMonth, -1), timezone);
}

/**
 * The baseline: one plain aggregate of the same program's journal over the same instants, by UTC month and type,
 * read through libsql's native API (the program's index on (program_id, created_at), every row of the range). It
 * answers less than the report (no reversal netting, no redemptions told from burns, no distinct active members, no
 * local months), so it is the floor of any report that reads the journal itself.
 */
export const plainAggregateSql = `select strftime('%Y-%m', created_at / 1000, 'unixepoch') as month, type,
    count(*) as transactions, sum(points) as points
  from ledger_transactions where program_id = ? and created_at >= ? and created_at < ?
  group by month, type`;

/** The journal's sums by type over a range, to check the report's figures against. */
const sumsByTypeSql = `select type, sum(points) as points, count(*) as transactions
  from ledger_transactions where program_id = ? and created_at >= ? and created_at < ? group by type`;

/** A timed GET's runs, and its last answer. */
export type HttpTiming = { timing: Timing; body: unknown };

/**
 * Times `GET {path}` over HTTP, one request at a time, from the request to the whole answer read: `warmup` unmeasured
 * runs, then `runs`. A keep-alive socket the server closed in between fails before any answer: that attempt is not
 * timed, and the request is sent again once.
 */
export async function timeGet(input: { url: string; path: string; token: string; runs: number; warmup: number }) {
  const headers = { Authorization: `Bearer ${input.token}` };
  const measured: number[] = [];
  let body: unknown;
  for (let run = 0; run < input.warmup + input.runs; run += 1) {
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        const response = await fetch(`${input.url}${input.path}`, { headers });
        body = await response.json();
        if (response.status !== 200) throw new Error(`GET ${input.path}: ${response.status} ${JSON.stringify(body)}`);
        if (run >= input.warmup) measured.push(performance.now() - started);
        break;
      } catch (error) {
        if (attempt === 2 || !(error instanceof TypeError)) throw error;
      }
    }
  }
  return { timing: timing(measured), body } satisfies HttpTiming;
}

/** Times the plain aggregate over `range` through libsql's native API on `file`: `warmup` runs unmeasured, then `runs`. */
export function timePlainAggregate(input: {
  file: string;
  programId: string;
  range: LocalRange;
  runs: number;
  warmup: number;
}) {
  const db = new Database(input.file, { readonly: true });
  try {
    const plain = db.prepare(plainAggregateSql);
    const args = [input.programId, input.range.since.getTime(), input.range.until.getTime()];
    const measured: number[] = [];
    let rows = 0;
    for (let run = 0; run < input.warmup + input.runs; run += 1) {
      const started = performance.now();
      rows = plain.all(...args).length;
      if (run >= input.warmup) measured.push(performance.now() - started);
    }
    return { timing: timing(measured), rows };
  } finally {
    db.close();
  }
}

/** The points a program's members hold now by their accounts' balances (available and pending), read once. */
export function sumMemberBalances(file: string, programId: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare("select sum(balance) as points from accounts where program_id = ? and kind in ('member', 'member_hold')")
      .get(programId) as { points: number | null };
    return row.points ?? 0;
  } finally {
    db.close();
  }
}

/** The journal's points and rows by type over `range`, read once (not timed). */
export function sumsByType(file: string, programId: string, range: LocalRange) {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(sumsByTypeSql).all(programId, range.since.getTime(), range.until.getTime()) as {
      type: string;
      points: number;
      transactions: number;
    }[];
    return new Map(rows.map((row) => [row.type, row]));
  } finally {
    db.close();
  }
}
