/**
 * `npm run sim -- --seeds N` (or `--seed S` to replay one): the deterministic simulation of cross-shard conversions
 * (docs/scale-out.md), in the spirit of TigerBeetle's VOPR. Each seed plays a seeded history over shards on embedded
 * files with injected faults and checks every invariant; the run exits 1 naming the seeds that broke one, each of which
 * replays alone with `--seed`. It lives in bench/ with the other seeded harnesses (the crash soak), and because its
 * fixtures and checks read the shards' files in SQL, which gateway/src keeps in db/queries.
 */
import { parseArgs } from "node:util";
import { defaultSimOptions, runSeed, type SeedResult } from "./sim-run";
import { migratedTemplate } from "./sim-world";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "100" },
    seed: { type: "string" },
    first: { type: "string", default: "1" },
    ops: { type: "string", default: String(defaultSimOptions.ops) },
    shards: { type: "string", default: String(defaultSimOptions.shardCount) },
  },
});
const whole = (name: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return n;
};
const options = {
  ...defaultSimOptions,
  ops: whole("ops", values.ops),
  shardCount: Math.max(2, whole("shards", values.shards)),
};
const seeds =
  values.seed === undefined
    ? Array.from({ length: whole("seeds", values.seeds) }, (_, i) => whole("first", values.first) + i)
    : [whole("seed", values.seed)];

const template = await migratedTemplate();
const started = performance.now();
const failed: SeedResult[] = [];
const totals: Record<string, number> = {};
try {
  for (const [index, seed] of seeds.entries()) {
    const result = await runSeed(seed, template.path, options);
    if ((index + 1) % 100 === 0)
      console.log(
        `${index + 1} seeds, ${((performance.now() - started) / 1000).toFixed(0)} s, ${failed.length} failed so far`,
      );
    for (const [key, n] of Object.entries(result.stats)) totals[key] = (totals[key] ?? 0) + n;
    if (result.violations.length > 0) {
      failed.push(result);
      console.log(`seed ${seed}: ${result.violations.length} violation(s)`);
      for (const violation of result.violations.slice(0, 10)) console.log(`  ${violation}`);
      console.log(`  replay: npm run sim -- --seed ${seed} --ops ${options.ops} --shards ${options.shardCount}`);
    }
  }
} finally {
  template.remove();
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `${seeds.length} seed(s), ${options.shardCount} shards, ${options.ops} ops each, ${seconds.toFixed(1)} s: ${failed.length} failed`,
);
console.log(
  Object.entries(totals)
    .map(([key, n]) => `${key} ${n}`)
    .join(", "),
);
if (failed.length > 0) {
  console.log(`failing seeds: ${failed.map((result) => result.seed).join(" ")}`);
  process.exitCode = 1;
}
