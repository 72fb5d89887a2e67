import { readFileSync } from "node:fs";

/**
 * Top functions by self time in a V8 .cpuprofile from `node --cpu-prof`:
 *   npx tsx bench/cpu-top.ts <file.cpuprofile> [count=15] [lastSeconds]
 * lastSeconds keeps only the end of the profile (e.g. 10 = the measured window of the last scenario, without
 * start-up and seeding). Self time is time on top of the stack; (idle), (program) and (garbage collector)
 * are V8's own buckets; native calls such as `writev` show under their own name.
 */
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const [file, count = "15", lastSeconds] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx bench/cpu-top.ts <file.cpuprofile> [count] [lastSeconds]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const from = lastSeconds ? profile.endTime - Number(lastSeconds) * 1e6 : profile.startTime;

const short = (url: string) =>
  url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/(gateway|bench)\//, "$1/");
const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const self = new Map<string, number>();
let total = 0;
let at = profile.startTime;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  at += delta;
  const frame = byId.get(id);
  if (!frame || at < from) return;
  const key = `${frame.functionName || "(anonymous)"}${frame.url ? ` ${short(frame.url)}:${frame.lineNumber + 1}` : ""}`;
  self.set(key, (self.get(key) ?? 0) + delta);
  total += delta;
});

console.log(`${(total / 1e6).toFixed(1)} s sampled`);
for (const [name, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count)))
  console.log(
    `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`,
  );
