import type { SandboxClock } from "../clock";
import {
  advanceSandboxClockOffset,
  findSandboxClockOffset,
  raiseSandboxClockOffset,
} from "../db/queries/sandbox-clock";
import type { SqlReader } from "../db/reader";
import type { Deps } from "../deps";
import { ApiError } from "../errors";

/**
 * Brings this instance's sandbox clock up to the deployment's, which another process or isolate may have
 * moved: one read of one row. Run before every request and job run of a sandbox, so that once a move has
 * answered, every instance tells the new time.
 */
export async function syncSandboxClock(clock: SandboxClock, reader: SqlReader): Promise<void> {
  clock.observe(await findSandboxClockOffset(reader));
}

/** Forward by a number of seconds, or to a point in time. */
export type ClockMove = { advanceSeconds: number } | { time: Date };

/**
 * Moves the deployment's sandbox clock forward, never back: a `time` before the clock's now is refused with
 * 400 `validation_failed` naming `time`. Concurrent moves all count: advances add up, and a `time` never
 * undoes a move that went further.
 */
export async function moveSandboxClock(
  deps: Pick<Deps, "db" | "reader" | "realClock">,
  clock: SandboxClock,
  move: ClockMove,
): Promise<void> {
  const { db } = deps;
  const real = deps.realClock.now();
  if ("advanceSeconds" in move) {
    clock.observe(await advanceSandboxClockOffset(db, move.advanceSeconds * 1000, real));
    return;
  }
  const offsetMs = move.time.getTime() - real.getTime();
  const raised = offsetMs >= clock.offsetMs ? await raiseSandboxClockOffset(db, offsetMs, real) : undefined;
  if (raised !== undefined) {
    clock.observe(raised);
    return;
  }
  // Another instance may have moved the clock further meanwhile: the refusal names the time it is now.
  await syncSandboxClock(clock, deps.reader);
  const now = clock.now().toISOString();
  throw new ApiError("validation_failed", `The sandbox clock never moves back; it is ${now} already.`, {
    errors: [{ path: "time", message: `must not be before the sandbox clock's now (${now})` }],
  });
}
