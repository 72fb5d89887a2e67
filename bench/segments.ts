import { startGateway } from "./gateway";
import { OffsetClock } from "./offset-clock";
import { measureCounts, measureMembership } from "./segments-measure";
import { historyDays, seedPopulation } from "./segments-population";
import { segmentsReport } from "./segments-report";
import { createSegments } from "./segments-rules";
import { machine, positiveInt } from "./settings";
import { tierCounts } from "./tiers";

/**
 * `npm run bench:segments` (issue 17): a program of 100,000 members with a year of earns on the embedded file,
 * 20 segments, then the time to count a dynamic segment (target < 2 s) and one member's membership in all 20
 * (target < 1 ms of database time), each next to a baseline of the same run. Prints a report; never fails on a
 * missed target. Separate from `npm run bench`: seeding alone takes minutes.
 */
const members = positiveInt("BENCH_SEGMENT_MEMBERS", 100_000);
const runs = positiveInt("BENCH_SEGMENT_RUNS", 5);
const samples = positiveInt("BENCH_SEGMENT_SAMPLES", 1000);
const seedPath = process.env.BENCH_SEGMENT_SEED === "api" ? "api" : "domain";
const progress = (message: string) => process.stderr.write(`bench:segments: ${message}\n`);

// The history starts this long ago, so it ends about now.
const start = new Date(Date.now() - (historyDays + 1) * 86_400_000);
const clock = new OffsetClock(start);
const gateway = await startGateway({ clock });
let report: string;
try {
  progress(`seeding ${members.toLocaleString("en-US")} members over ${historyDays} days through the ${seedPath}`);
  const seeded = await seedPopulation(gateway, clock, { start, members, path: seedPath }, progress);
  const token = await seeded.partnerToken();
  const tiers = await tierCounts(gateway, token, seeded.programId);
  progress(`seeded in ${seeded.timings.historySeconds.toFixed(1)} s; creating 20 segments`);
  const created = await createSegments(gateway, token, seeded.programId, members);
  progress(`counting, ${runs} runs per segment`);
  const counts = await measureCounts(gateway, {
    programId: seeded.programId,
    token: await seeded.partnerToken(),
    headlineId: created.headlineId,
    runs,
  });
  progress(`membership of ${samples} members`);
  const membership = await measureMembership(gateway, {
    programId: seeded.programId,
    partnerId: seeded.partnerId,
    token: await seeded.partnerToken(),
    members,
    samples,
    clock,
  });
  report = segmentsReport({
    header:
      `coalition-gateway segments bench: Node ${process.version}, ${machine()}, embedded libSQL file, ` +
      `${members.toLocaleString("en-US")} members, 20 segments`,
    seeding: {
      path: seedPath,
      members,
      earns: seeded.timings.earns,
      historySeconds: seeded.timings.historySeconds,
      rfmSeconds: seeded.timings.rfmSeconds,
      rfm: seeded.rfm,
    },
    tiers,
    created,
    counts,
    membership,
  });
} finally {
  await gateway.stop();
}
console.log(report);
