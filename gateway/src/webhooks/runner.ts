import type { Deps } from "../deps";
import { attemptDelivery, claimDueDeliveries, fanOutEvents } from "./dispatcher";

/** Runs webhook delivery in the background of one process or isolate. */
export interface WebhookRunner {
  /**
   * Fans out new events and starts every attempt due now, without waiting for them. Returns a promise of
   * this round's attempts (for `waitUntil` on Workers, and for tests). Kicks while a round is claiming join it.
   */
  kick(): Promise<void>;
  /** Resolves when nothing is being claimed or sent (for shutdown). */
  idle(): Promise<void>;
}

const claimBatch = 50;

/**
 * The in-process dispatcher. Claiming is single-flight per process; attempts run concurrently, so one slow
 * receiver (up to 15 s) does not hold up the others. Across processes the claim's lease keeps each attempt to
 * one sender.
 */
export function webhookRunner(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids" | "log" | "webhookTransport">,
): WebhookRunner {
  const attempts = new Set<Promise<void>>();
  let claiming: Promise<void> | undefined;
  let again = false;

  const round = async () => {
    do {
      again = false;
      await fanOutEvents(deps);
      const claimed = await claimDueDeliveries(deps, claimBatch);
      for (const claim of claimed) {
        const attempt = attemptDelivery(deps, claim)
          .catch((error) => deps.log("error", "webhook attempt not recorded", { error: String(error), ...claim }))
          .finally(() => attempts.delete(attempt));
        attempts.add(attempt);
      }
      if (claimed.length === claimBatch) again = true;
    } while (again);
  };

  const settled = async () => {
    await claiming;
    await Promise.allSettled([...attempts]);
  };

  return {
    kick() {
      if (claiming) again = true;
      else
        claiming = round()
          .catch((error) => deps.log("error", "webhook dispatch failed", { error: String(error) }))
          .finally(() => {
            claiming = undefined;
          });
      return settled();
    },
    async idle() {
      while (claiming || attempts.size > 0) await settled();
    },
  };
}
