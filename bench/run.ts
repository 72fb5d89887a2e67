import { type Baselines, bareInserts, helloWorld } from "./baselines";
import { drive } from "./drive";
import { seed, startGateway } from "./gateway";
import { type Reference, referenceFor, startReferenceFor } from "./reference-run";
import { report, type ScenarioResult, type Seeding, type TierSpread } from "./report";
import { machine, settings } from "./settings";
import { tierCounts } from "./tiers";

/**
 * `npm run bench`: baselines first (bare inserts, hello-world), then the gateway in this process on a fresh
 * database, seeded, loaded by autocannon in a child process one scenario at a time. Prints a report; never
 * fails on a missed target.
 */
const { seconds, connections, warmupSeconds } = settings;
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

let baselines: Baselines | undefined;
if (!settings.skipBaselines) {
  progress(`bare inserts for ${settings.insertSeconds} s`);
  const inserts = await bareInserts(settings.insertSeconds);
  progress(`hello-world for ${seconds} s`);
  const hello = await helloWorld({ connections, seconds, warmupSeconds });
  baselines = { inserts, hello };
}

const reference: Reference | undefined = settings.skipReference ? undefined : await startReferenceFor(settings.members);
const gateway = await startGateway();
const scenarios: ScenarioResult[] = [];
let seeding: Seeding;
let tiers: TierSpread | undefined;
try {
  const seeded = await seed(gateway, settings.members, {
    tiers: settings.scenarios.includes("earn-tiers"),
    promotions: settings.scenarios.includes("earn-promotions"),
  });
  seeding = {
    members: settings.members,
    plainSeconds: seeded.plainSeconds,
    tieredSeconds: seeded.tiered?.seconds,
    promotedSeconds: seeded.promoted?.seconds,
  };
  progress(
    `seeded ${settings.members} funded members in ${seeded.plainSeconds.toFixed(1)} s` +
      (seeded.tiered ? `, and ${settings.members} tiered members in ${seeded.tiered.seconds.toFixed(1)} s` : ""),
  );
  const tierCountsNow = async () =>
    seeded.tiered && tierCounts(gateway, await seeded.partnerToken(), seeded.tiered.programId);
  const spreadBefore = await tierCountsNow();
  for (const name of settings.scenarios) {
    // A fresh token per scenario, so a long BENCH_SECONDS never outlives the token.
    const scenarioTarget = seeded.target(await seeded.partnerToken(), name);
    progress(`${name} for ${seconds} s`);
    if (warmupSeconds > 0) await drive({ kind: name, target: scenarioTarget, connections, seconds: warmupSeconds });
    const before = gateway.commitStats();
    const cpuBefore = process.cpuUsage();
    const load = await drive({ kind: name, target: scenarioTarget, connections, seconds });
    const cpu = process.cpuUsage(cpuBefore);
    const after = gateway.commitStats();
    const commits =
      before && after ? { commits: after.commits - before.commits, units: after.units - before.units } : undefined;
    scenarios.push({
      name,
      load,
      commits,
      cpuMicros: cpu.user + cpu.system,
      reference: await referenceFor(reference, name),
    });
  }
  const spreadAfter = await tierCountsNow();
  if (spreadBefore && spreadAfter) tiers = { before: spreadBefore, after: spreadAfter };
} finally {
  await gateway.stop();
  await reference?.stop();
}

const header =
  `coalition-gateway bench: Node ${process.version}, ${machine()}, ${connections} connections, ` +
  `${seconds} s per scenario after ${warmupSeconds} s warm-up; autocannon in a child process`;
console.log(report({ header, baselines, seeding, tiers, scenarios }));
