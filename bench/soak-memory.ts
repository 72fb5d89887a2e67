import { readFileSync } from "node:fs";

/** One reading of the gateway's resident memory. */
export type RssSample = { atMs: number; ops: number; pid: number; rssKb: number };

/** VmRSS of a process from /proc, in kB; undefined when it is gone (killed between two readings). */
function residentKb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the gateway's RSS every second, with the ops done by then, until stopped. */
export function watchMemory(pid: () => number | undefined, ops: () => number) {
  const samples: RssSample[] = [];
  const since = performance.now();
  const timer = setInterval(() => {
    const current = pid();
    const rssKb = current === undefined ? undefined : residentKb(current);
    if (current !== undefined && rssKb !== undefined)
      samples.push({ atMs: performance.now() - since, ops: ops(), pid: current, rssKb });
  }, 1000);
  return { samples, stop: () => clearInterval(timer) };
}
