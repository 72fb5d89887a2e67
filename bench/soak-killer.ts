import { traffic } from "./soak-client";
import type { SoakGateway } from "./soak-gateway";

/** One SIGKILL: when, with how many requests under way, and how long until the gateway answered again. */
export type Kill = { atOp: number; inFlight: number; downMs: number };

/**
 * Where the kills fall: `kills` op counts drawn at random over the run but its first 2% (set-up is over and the
 * workload going) and its last `quietShare` (a long stretch without kills, for the memory figures), in order.
 */
export function killPlan(input: { ops: number; kills: number; quietShare: number }, random: () => number): number[] {
  const from = Math.floor(input.ops * 0.02);
  const until = Math.floor(input.ops * (1 - input.quietShare));
  return Array.from({ length: input.kills }, () => from + Math.floor(random() * (until - from))).sort((a, b) => a - b);
}

/**
 * Kills the gateway with SIGKILL as the workload passes each point of `plan`, a random 0-250 ms later (so kills land
 * anywhere in a request's life: reading, planning, committing, answering, delivering webhooks), restarts it on the
 * same file and port, and waits until it answers. The clients keep trying their requests meanwhile.
 */
export async function runKiller(
  plan: number[],
  gateway: SoakGateway,
  started: () => number,
  random: () => number,
  onKill: (kill: Kill) => void,
): Promise<Kill[]> {
  const kills: Kill[] = [];
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (const point of plan) {
    while (started() < point) await pause(10);
    await pause(Math.floor(random() * 250));
    const kill = { atOp: started(), inFlight: traffic.inFlight, downMs: 0 };
    const since = performance.now();
    await gateway.crash();
    await gateway.start(started());
    kill.downMs = performance.now() - since;
    kills.push(kill);
    onKill(kill);
  }
  return kills;
}
