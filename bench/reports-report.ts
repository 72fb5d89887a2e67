import type { LocalRange } from "../gateway/src/domain/reports/range";
import type { HttpTiming } from "./reports-measure";
import type { Timing } from "./segments-measure";

/** Issue 21's target: a 12-month monthly KPI report over 1,000,000 transactions answers in under 300 ms. */
const targetMs = 300;

const verdict = (ms: number) => (ms < targetMs ? "PASS" : "MISS");
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const spread = (t: Timing) => `median ${ms(t.median)} ms, p95 ${ms(t.p95)} ms, max ${ms(t.max)} ms (${t.runs} runs)`;

type KpiBody = {
  series?: unknown[];
  totals?: Record<string, number | null>;
};

/** The figures the report must equal the journal on, read from sums by type over the same range. */
const checked: [string, string][] = [
  ["points_expired", "expiry"],
  ["points_converted_out", "conversion_out"],
  ["points_converted_in", "conversion_in"],
  ["points_transferred", "transfer_out"],
];

/** How the file was seeded, when this run seeded it (a reused file has only its program). */
export type Seeding = {
  main: { id: string; timezone: string };
  loaded?: { rows: number; members: number; accounts: number; seconds: number };
  rollup?: { rows: number; seconds: number };
  jobs?: { seconds: number; againSeconds: number; expiry: { expired_points: number; members: number } };
};

function seedingLines({ loaded, rollup, jobs }: Seeding): string[] {
  if (!loaded || !rollup || !jobs) return ["Seeding: a file seeded by an earlier run (BENCH_REPORTS_FILE)"];
  return [
    `Seeding: ${int(loaded.rows)} journal transactions (${int(2 * loaded.rows)} legs), ${int(loaded.members)} members, ` +
      `${int(loaded.accounts)} accounts in ${loaded.seconds.toFixed(1)} s`,
    `Roll-up catch-up (rollUpReports until nothing is left): ${int(rollup.rows)} rows in ` +
      `${rollup.seconds.toFixed(1)} s = ${int(rollup.rows / rollup.seconds)} rows/s`,
    `The scheduled jobs: ${jobs.seconds.toFixed(1)} s the first time (RFM scores every member); expiry found ` +
      `${int(jobs.expiry.expired_points)} points of ${int(jobs.expiry.members)} members due since the ` +
      `history's last daily run. Again, as every minute after: ${ms(jobs.againSeconds * 1000)} ms`,
  ];
}

export function reportsReport(input: {
  header: string;
  seeding: Seeding;
  range: LocalRange;
  path: string;
  kpis: HttpTiming & { doneAfterSeconds: number };
  plain: { timing: Timing; rows: number };
  /** `balances`: the members' account balances now, which the report's outstanding points must equal. */
  liability: HttpTiming & { doneAfterSeconds: number; balances: number };
  plainSql: string;
  journal: Map<string, { points: number; transactions: number }>;
}): string {
  const { kpis, plain, journal } = input;
  const body = kpis.body as KpiBody;
  const ratio = kpis.timing.median / plain.timing.median;
  const outstanding = (input.liability.body as { outstanding_points?: number }).outstanding_points;
  const rows = [...journal.values()].reduce((sum, row) => sum + row.transactions, 0);
  const checks = checked.map(([figure, type]) => {
    const reported = body.totals?.[figure];
    const expected = journal.get(type)?.points ?? 0;
    return `${figure} ${reported === expected ? "=" : "≠"} ${type} (${int(expected)})`;
  });
  return [
    input.header,
    "",
    ...seedingLines(input.seeding),
    `The range's journal of the measured program: ${int(rows)} transactions: ` +
      [...journal.entries()]
        .sort(([, a], [, b]) => b.transactions - a.transactions)
        .map(([type, row]) => `${type} ${int(row.transactions)}`)
        .join(", "),
    "",
    `12-month monthly KPI report, ${input.range.from} to ${input.range.to} (${input.range.timezone}):`,
    `  GET ${input.path}`,
    `    over HTTP: ${spread(kpis.timing)}   median ${verdict(kpis.timing.median)}, p95 ${verdict(kpis.timing.p95)} (< ${targetMs} ms)`,
    `    (the last run ended ${kpis.doneAfterSeconds.toFixed(0)} s after the gateway started; its scheduled jobs first run at 60 s)`,
    `  plain SQL aggregate (libsql native, same file, just before the gateway started): ${spread(plain.timing)}, ${plain.rows} rows`,
    `  report / plain aggregate (medians): ${ratio.toFixed(2)}x`,
    `  ${body.series?.length ?? 0} months; ${checks.join("; ")}`,
    "",
    `Liability as of now (GET /v1/programs/{id}/reports/liability, folded from the journal): ${spread(input.liability.timing)}`,
    `  (the last run ended ${input.liability.doneAfterSeconds.toFixed(0)} s after the gateway started); outstanding_points ` +
      `${outstanding === input.liability.balances ? "=" : "≠"} the members' balances (${int(input.liability.balances)})`,
    "",
    "The plain aggregate:",
    ...input.plainSql.split("\n").map((line) => `  ${line.trim()}`),
  ].join("\n");
}
