import { positiveInt } from "./settings";

/** The crash soak's settings from the environment (bench/README.md, "Crash soak"). */
export function soakSettings() {
  const ops = positiveInt("SOAK_OPS", 1_000_000);
  const kills = positiveInt("SOAK_KILLS", 50);
  const connections = positiveInt("SOAK_CONNECTIONS", 32);
  // A run is replayed by its seed: printed first, so a finding can be chased with the same one.
  const seed = positiveInt("SOAK_SEED", Math.floor(Math.random() * 2 ** 31));
  if (ops < 1000) throw new Error(`SOAK_OPS must be at least 1000, got ${ops}`);
  if (connections < 1) throw new Error("SOAK_CONNECTIONS must be at least 1");
  return {
    ops,
    kills,
    connections,
    seed,
    /** Members enrolled in both programs, each funded by an earn in each before the workload. */
    members: 2000,
    /** The share of ops at the end that runs without kills, so the gateway's memory is seen over a long stretch. */
    quietShare: 0.15,
    /** How long the end waits for every event to be delivered. */
    drainDeadlineMs: 10 * 60_000,
  };
}

export type SoakSettings = ReturnType<typeof soakSettings>;
