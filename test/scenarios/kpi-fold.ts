import type { Gateway } from "./gateway";

/**
 * The KPI report recomputed in the test from the journal's rows and the members' enrolment times, without the
 * gateway's code: each row in its local day (Intl), buckets by plain calendar arithmetic, each figure by the
 * contract's words.
 */

/** A journal row as the scenario reads it, with what the contract's classification needs. */
export type KpiJournalRow = {
  id: string;
  type: string;
  member_id: string;
  points: number;
  original_transaction_id: string | null;
  created_at: number;
  /** The burn paid for a catalogue order (its id is an order's `transaction_id`). */
  redemption: number;
  /** The adjustment took points from the member (its member leg is negative). */
  debit: number;
};

/** A program's journal and members' enrolment times, read from the gateway's database. */
export async function readJournal(gw: Gateway, programId: string) {
  const rows = await gw.rows<KpiJournalRow>(
    `select t.id, t.type, t.member_id, t.points, t.original_transaction_id, t.created_at,
            exists (select 1 from redemptions r where r.transaction_id = t.id) as redemption,
            exists (select 1 from ledger_entries e where e.transaction_id = t.id and e.account_id = t.member_id
                    and e.amount < 0) as debit
     from ledger_transactions t where t.program_id = ? order by t.created_at, t.id`,
    programId,
  );
  const enrolled = await gw.rows<{ created_at: number }>(
    "select created_at from members where program_id = ?",
    programId,
  );
  return { rows, enrolled: enrolled.map((member) => member.created_at) };
}

const DAY = 86_400_000;

/** The local date of an instant in a zone, `YYYY-MM-DD`. */
export const localDate = (zone: string, at: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

/** The date `n` days after a date. */
export const plusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** The first instant of a local date: the first quarter hour (zones change on quarter hours) whose date it is. */
export function localMidnight(zone: string, day: string): number {
  let at = Date.parse(`${day}T00:00:00Z`) - 15 * 3_600_000;
  while (localDate(zone, at) < day) at += 15 * 60_000;
  return at;
}

/** The first day of the bucket a date is in: itself, the Monday of its ISO week, or the 1st of its month. */
export function bucketStart(day: string, interval: "day" | "week" | "month"): string {
  if (interval === "day") return day;
  if (interval === "month") return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return plusDays(day, weekday === 0 ? -6 : 1 - weekday);
}

const active = new Set(["earn", "burn", "conversion_out", "conversion_in", "transfer_out", "transfer_in"]);

/** The KPIs of the rows and enrolments whose local dates are in `days`. */
function figuresOf(
  journal: { rows: readonly KpiJournalRow[]; enrolled: readonly number[] },
  zone: string,
  days: (day: string) => boolean,
) {
  const byId = new Map(journal.rows.map((row) => [row.id, row]));
  const rows = journal.rows.filter((row) => days(localDate(zone, row.created_at)));
  /** Points of rows of `type` (a redemption's burn or not, for burns), less the reversals of such rows. */
  const net = (type: string, redemption?: boolean) => {
    const matches = (row: KpiJournalRow | undefined) =>
      row?.type === type && (redemption === undefined || Boolean(row.redemption) === redemption);
    let sum = 0;
    for (const row of rows) {
      if (matches(row)) sum += row.points;
      if (row.type === "reversal" && matches(byId.get(row.original_transaction_id ?? ""))) sum -= row.points;
    }
    return sum;
  };
  const sum = (type: string) => rows.filter((row) => row.type === type).reduce((s, row) => s + row.points, 0);
  const figures = {
    new_members: journal.enrolled.filter((at) => days(localDate(zone, at))).length,
    active_members: new Set(rows.filter((row) => active.has(row.type)).map((row) => row.member_id)).size,
    points_earned: net("earn"),
    bonus_points: net("bonus"),
    points_burned: net("burn", false),
    points_redeemed: net("burn", true),
    points_converted_in: sum("conversion_in"),
    points_converted_out: sum("conversion_out"),
    points_transferred: sum("transfer_out"),
    points_expired: sum("expiry"),
    points_adjusted: rows
      .filter((row) => row.type === "adjustment")
      .reduce((s, row) => s + (row.debit ? -row.points : row.points), 0),
  };
  const spent = figures.points_burned + figures.points_redeemed + figures.points_converted_out;
  return {
    ...figures,
    redemption_rate: figures.points_earned > 0 ? Math.round((spent * 10_000) / figures.points_earned) / 10_000 : null,
  };
}

/** The KPI report's series and totals over the local dates `from`..`to`, each bucket clipped to the range. */
export function foldKpis(
  journal: { rows: readonly KpiJournalRow[]; enrolled: readonly number[] },
  zone: string,
  range: { from: string; to: string; interval: "day" | "week" | "month" },
) {
  const series = [];
  for (let day = range.from; day <= range.to; ) {
    const start = day;
    const key = bucketStart(day, range.interval);
    while (day <= range.to && bucketStart(day, range.interval) === key) day = plusDays(day, 1);
    const end = plusDays(day, -1);
    series.push({ start, end, ...figuresOf(journal, zone, (d) => d >= start && d <= end) });
  }
  return { series, totals: figuresOf(journal, zone, (d) => d >= range.from && d <= range.to) };
}
