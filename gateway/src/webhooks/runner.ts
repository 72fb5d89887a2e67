import type { Deps } from "../deps";
import { attemptDelivery, claimDueDeliveries, fanOutEvents } from "./dispatcher";

/** Runs webhook delivery in the background of one process or isolate. */
export interface WebhookRunner {
  /**
   * Fans out stray events and starts every attempt due now, without waiting. Kicks while a round is under way
   * are served by one more round. Cheap enough to call after every write.
   */
  kick(): void;
  /**
   * `kick`, then waits for that round's attempts (for `waitUntil` on Workers, cron runs and tests). Resolves
   * to the number of attempts this process or isolate started meanwhile, including any other kicks' rounds.
   */
  deliver(): Promise<number>;
  /** Resolves when nothing is being claimed or sent (for shutdown). */
  idle(): Promise<void>;
}

const claimBatch = 50;
/**
 * Rounds started by kicks are this far apart at least, and kicks that arrive during a round are served by one more
 * round this much later: under load (every write kicks) rounds run at most ~50 times a second instead of once per
 * write, and a first attempt waits at most this.
 */
const coalesceMs = 20;

/**
 * The in-process dispatcher. Claiming is single-flight per process; attempts run concurrently, so one slow
 * receiver (up to 15 s) does not hold up the others. Across processes the claim's lease keeps each attempt to
 * one sender.
 */
export function webhookRunner(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "realClock" | "ids" | "log" | "webhookTransport">,
): WebhookRunner {
  const attempts = new Set<Promise<void>>();
  let claiming: Promise<void> | undefined;
  let again = false;
  let started = 0;
  let lastRoundEnded = Number.NEGATIVE_INFINITY;
  let deferred: ReturnType<typeof setTimeout> | undefined;

  const round = async () => {
    let first = true;
    try {
      do {
        if (!first) await new Promise((resolve) => setTimeout(resolve, coalesceMs));
        first = false;
        again = false;
        await fanOutEvents(deps);
        const claimed = await claimDueDeliveries(deps, claimBatch);
        for (const claim of claimed) {
          const attempt = attemptDelivery(deps, claim)
            .catch((error) =>
              deps.log("error", "webhook attempt not recorded", {
                error: String(error),
                event_id: claim.eventId,
                endpoint_id: claim.endpointId,
              }),
            )
            .finally(() => attempts.delete(attempt));
          attempts.add(attempt);
          started += 1;
        }
        if (claimed.length === claimBatch) again = true;
      } while (again);
    } catch (error) {
      deps.log("error", "webhook dispatch failed", { error: String(error) });
    } finally {
      // In the same turn as the loop's last look at `again`: a kick in between is then served by a round of its own,
      // where clearing this after the promise settled (two microtasks later) let such a kick set `again` unread.
      claiming = undefined;
      lastRoundEnded = performance.now();
    }
  };

  const start = () => {
    clearTimeout(deferred);
    deferred = undefined;
    claiming = round();
  };

  // Under load every write kicks: a round (two reads when nothing is due) starts at most once per `coalesceMs`, the
  // kicks in between served by one round at the end of the pause.
  const kick = () => {
    if (claiming) {
      again = true;
      return;
    }
    const wait = lastRoundEnded + coalesceMs - performance.now();
    if (wait <= 0) start();
    else deferred ??= setTimeout(start, wait);
  };

  /** A round now (or one more after the one under way), without the pause kicks wait for. */
  const roundNow = () => {
    if (claiming) again = true;
    else start();
  };

  return {
    kick,
    async deliver() {
      const before = started;
      roundNow();
      await claiming;
      await Promise.allSettled([...attempts]);
      return started - before;
    },
    async idle() {
      if (deferred) start();
      while (claiming || attempts.size > 0) {
        await claiming;
        await Promise.allSettled([...attempts]);
      }
    },
  };
}
