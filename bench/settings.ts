import { cpus } from "node:os";

/** Bench settings from the environment; every one has a default so `npm run bench` needs none. */
export function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${raw}`);
  return value;
}

// earn-tiers and earn-promotions right after earn: they are compared with it, so they run back to back on the same
// warm process.
export const scenarioNames = ["earn", "earn-tiers", "earn-promotions", "burn", "balance", "mix"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

function only(): ScenarioName[] {
  const raw = process.env.BENCH_ONLY;
  if (!raw) return [...scenarioNames];
  const picked = raw.split(",").map((name) => name.trim());
  const unknown = picked.filter((name) => !scenarioNames.includes(name as ScenarioName));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown scenario ${unknown.join(", ")}`);
  return picked as ScenarioName[];
}

export const settings = {
  /** Measured seconds per scenario. */
  seconds: positiveInt("BENCH_SECONDS", 10),
  /** Concurrent keep-alive connections of the load generator. */
  connections: positiveInt("BENCH_CONNECTIONS", 32),
  /** Unmeasured load before each scenario, so the JIT and caches are warm. */
  warmupSeconds: positiveInt("BENCH_WARMUP_SECONDS", 2),
  /** Enrolled members the scenarios spread over. */
  members: positiveInt("BENCH_MEMBERS", 1000),
  /** Seconds of the bare insert loop. */
  insertSeconds: positiveInt("BENCH_INSERT_SECONDS", 5),
  /** Scenarios to run (comma-separated), e.g. BENCH_ONLY=earn for a profile. */
  scenarios: only(),
  /** Skip the baselines (e.g. while profiling one scenario). */
  skipBaselines: process.env.BENCH_SKIP_BASELINES === "1",
  /** Skip the plain durable reference of earn, burn and balance (bench/reference.ts). */
  skipReference: process.env.BENCH_SKIP_REFERENCE === "1",
};

export const machine = () => `${cpus().length} CPU(s) ${cpus()[0]?.model ?? ""}`.trim();
