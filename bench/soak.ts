import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { freePort } from "./child-gateway";
import { seededRandom } from "./random";
import { machine } from "./settings";
import { Checks } from "./soak-check";
import { checkEvents } from "./soak-checks-events";
import { checkLedger } from "./soak-checks-ledger";
import { checkOps } from "./soak-checks-ops";
import { traffic } from "./soak-client";
import { drainOutbox } from "./soak-drain";
import { soakGateway } from "./soak-gateway";
import { killPlan, runKiller } from "./soak-killer";
import { OpLog } from "./soak-log";
import { watchMemory } from "./soak-memory";
import { startReceiver } from "./soak-receiver";
import { soakReport } from "./soak-report";
import { soakSettings } from "./soak-settings";
import { createSoakWorld } from "./soak-setup";
import { runWorkload, type Workload } from "./soak-workload";

/**
 * The crash soak (issue 22): a seeded concurrent workload against the gateway in its own process, killed with SIGKILL
 * and restarted on the same file as it goes, then every invariant of PRODUCT.md checked on the file. Exits 1 on any
 * violation (the seed printed first and last replays the run's mix and kill points).
 */
const settings = soakSettings();
console.log(
  `Crash soak: seed ${settings.seed} (SOAK_SEED=${settings.seed} replays it), ${settings.ops.toLocaleString("en-US")} ops, ` +
    `${settings.kills} kills, ${settings.connections} connections; ${machine()}, Node ${process.version}`,
);
const began = performance.now();
const dir = mkdtempSync(join(tmpdir(), "gateway-soak-"));
const file = join(dir, "gateway.db");
const receiver = await startReceiver();
const gateway = soakGateway(file, await freePort());
await gateway.start(0);
let workload: Workload | undefined;
const memory = watchMemory(gateway.pid, () => workload?.done() ?? 0);

const world = await createSoakWorld(gateway.url, receiver, settings.members);
const setupMs = performance.now() - began;
console.log(`Set-up through the API in ${(setupMs / 1000).toFixed(1)} s; the op log: ${join(dir, "ops.ndjson")}`);

const random = seededRandom(settings.seed);
const plan = killPlan(settings, random);
const log = new OpLog(settings.ops, settings.seed, join(dir, "ops.ndjson"));
const started = performance.now();
const running = runWorkload({ world, log, connections: settings.connections, seed: settings.seed });
workload = running;
const progress = setInterval(() => {
  const elapsed = (performance.now() - started) / 1000;
  const rss = memory.samples.at(-1)?.rssKb ?? 0;
  console.log(
    `  ${elapsed.toFixed(0).padStart(5)} s  ops ${running.done().toLocaleString("en-US")} (${(running.done() / elapsed).toFixed(0)}/s)  ` +
      `kills ${gateway.incarnations.length - 1}  unanswered tries ${traffic.unanswered}  5xx ${running.serverErrors.length}  ` +
      `events received ${receiver.received.size.toLocaleString("en-US")}  gateway RSS ${(rss / 1024).toFixed(0)} MB`,
  );
}, 15_000);
const kills = await runKiller(plan, gateway, running.started, random, (kill) =>
  console.log(
    `  kill at op ${kill.atOp.toLocaleString("en-US")}, ${kill.inFlight} requests in flight; answering again after ${(kill.downMs / 1000).toFixed(1)} s`,
  ),
);
await running.finished;
const workloadMs = performance.now() - started;
clearInterval(progress);
await log.close();

console.log("Workload done; letting the gateway deliver its outbox...");
const drained = await drainOutbox(file, settings.drainDeadlineMs, (state) =>
  console.log(`  outbox: ${JSON.stringify(state)}`),
);
memory.stop();
await gateway.stop();
await receiver.close();

console.log("Checking the file...");
const checking = performance.now();
const checks = new Checks();
const db = new Database(file, { readonly: true });
checks
  .add("answers to acknowledged requests sent again = the first answer")
  .tally(running.replays.checked, running.replays.differing.length, running.replays.differing);
checks.add("no 5xx answer").tally(settings.ops, running.serverErrors.length, running.serverErrors);
checkOps(db, log, world.members * world.programs.length, checks);
checkLedger(db, checks);
const delivery = checkEvents(db, receiver, checks);
db.close();
const checksMs = performance.now() - checking;

console.log(
  `\n${soakReport({
    settings,
    file,
    setupMs,
    workloadMs,
    totalMs: performance.now() - began,
    log,
    kills,
    traffic,
    workload: running,
    receiver,
    delivery,
    drainMs: drained.ms,
    checksMs,
    checks,
    incarnations: gateway.incarnations,
    samples: memory.samples,
  })}`,
);
if (checks.violations > 0) {
  console.log(`\n${checks.violations} violation(s), seed ${settings.seed}; the file and op log are kept in ${dir}`);
  process.exit(1);
}
rmSync(dir, { recursive: true, force: true });
console.log(`\nNo violation (seed ${settings.seed}).`);
process.exit(0);
