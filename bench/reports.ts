import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rollUpReports } from "../gateway/src/domain/reports/rollup";
import { runScheduledJobs } from "../gateway/src/jobs";
import { startChildGateway } from "./child-gateway";
import { startGateway } from "./gateway";
import { loadHistory } from "./reports-load";
import {
  lastTwelveMonths,
  plainAggregateSql,
  sumMemberBalances,
  sumsByType,
  timeGet,
  timePlainAggregate,
} from "./reports-measure";
import { reportsReport, type Seeding } from "./reports-report";
import { createReportsWorld, findMainProgram } from "./reports-setup";
import { machine, positiveInt } from "./settings";

/**
 * `npm run bench:reports` (issue 21, item 7): 1,000,000 journal transactions over 13 months on an embedded libSQL
 * file, the roll-up job's catch-up over them, then the 12-month monthly KPI report over HTTP from the gateway started
 * as `npm start` starts it, side by side with a plain SQL aggregate over the same file. Prints a report; never fails
 * on a missed target. Separate from `npm run bench`: seeding takes minutes. BENCH_REPORTS_KEEP=1 keeps the seeded
 * file (its path is printed), and BENCH_REPORTS_FILE=<path> measures such a file again without seeding it.
 */
const transactions = positiveInt("BENCH_REPORTS_TRANSACTIONS", 1_000_000);
const members = positiveInt("BENCH_REPORTS_MEMBERS", 50_000);
const runs = positiveInt("BENCH_REPORTS_RUNS", 30);
const progress = (message: string) => process.stderr.write(`bench:reports: ${message}\n`);
const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * A new file with the bench's world (through the API of an in-process gateway), its journal loaded straight in, the
 * roll-up job's catch-up timed (its own function on the file, as the gateway's interval runs it), and the other
 * scheduled jobs run once, so the measured gateway finds nothing heavy left to do at its first minute.
 */
async function seedFile(file: string): Promise<Seeding> {
  let started = performance.now();
  const setup = await startGateway({ databaseFile: file });
  const world = await createReportsWorld(setup, members);
  await setup.stop();
  const end = Date.now() - 60 * 60_000;
  progress(`loading ${transactions.toLocaleString("en-US")} transactions over 400 days`);
  const loaded = loadHistory(
    file,
    { programs: world.programs, transactions, start: end - 400 * 86_400_000, end },
    new Map(world.programs.map((program) => [program.id, program.ownerId])),
  );
  const loadSeconds = seconds(started);
  const gateway = await startGateway({ databaseFile: file });
  try {
    progress("rolling up");
    started = performance.now();
    let rolled = 0;
    for (let run = await rollUpReports(gateway.deps); run.rows > 0; run = await rollUpReports(gateway.deps))
      rolled += run.rows;
    const rollup = { rows: rolled, seconds: seconds(started) };
    progress("the scheduled jobs, twice");
    started = performance.now();
    const jobs = await runScheduledJobs(gateway.deps);
    const firstSeconds = seconds(started);
    // Again, as every minute after the first: what the gateway's thread spends on them with nothing new to do.
    started = performance.now();
    await runScheduledJobs(gateway.deps);
    return {
      main: world.main,
      loaded: { ...loaded, seconds: loadSeconds },
      rollup,
      jobs: { seconds: firstSeconds, againSeconds: seconds(started), expiry: jobs.expiry },
    };
  } finally {
    await gateway.stop();
  }
}

const reused = process.env.BENCH_REPORTS_FILE;
const dir = reused ? undefined : mkdtempSync(join(tmpdir(), "gateway-bench-reports-"));
const file = reused ?? join(dir as string, "gateway.db");
let report: string;
try {
  const seeding = reused ? { main: findMainProgram(file) } : await seedFile(file);
  const { main } = seeding;
  const range = lastTwelveMonths(main.timezone, new Date());
  // The plain aggregate first, on the quiet file; then the reports, inside the gateway's first minute, before its
  // scheduled jobs first run on its thread: the figures are the reports' alone (a file seeded before the expiry jobs
  // kept positions, issue 22, has its whole journal read by their first run).
  progress(`timing the plain aggregate, ${runs} runs`);
  const plain = timePlainAggregate({ file, programId: main.id, range, runs, warmup: 3 });
  progress("starting the gateway as npm start does");
  const gateway = await startChildGateway(file);
  const startedAt = performance.now();
  try {
    const path = `/v1/programs/${main.id}/reports/kpis?from=${range.from}&to=${range.to}&interval=month`;
    progress(`timing ${path}, ${runs} runs`);
    const kpis = await timeGet({ url: gateway.url, path, token: gateway.token, runs, warmup: 3 });
    const kpisDone = seconds(startedAt);
    progress("timing the liability report");
    const liabilityPath = `/v1/programs/${main.id}/reports/liability`;
    const liability = await timeGet({
      url: gateway.url,
      path: liabilityPath,
      token: gateway.token,
      runs: 5,
      warmup: 1,
    });
    const liabilityDone = seconds(startedAt);
    report = reportsReport({
      header:
        `coalition-gateway reports bench: Node ${process.version}, ${machine()}, embedded libSQL file ` +
        `(${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`,
      seeding,
      range,
      path,
      kpis: { ...kpis, doneAfterSeconds: kpisDone },
      plain,
      liability: { ...liability, doneAfterSeconds: liabilityDone, balances: sumMemberBalances(file, main.id) },
      plainSql: plainAggregateSql,
      journal: sumsByType(file, main.id, range),
    });
  } finally {
    await gateway.stop();
  }
} finally {
  if (dir && process.env.BENCH_REPORTS_KEEP === "1")
    progress(`kept ${file}: BENCH_REPORTS_FILE=${file} measures it again`);
  else if (dir) rmSync(dir, { recursive: true, force: true });
}
console.log(report);
