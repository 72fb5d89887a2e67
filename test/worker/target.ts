import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { ManualClock } from "../../gateway/src/clock";
import { createWorker } from "../../gateway/src/worker";
import { read, type Target } from "../scenarios/target";
import { d1, operator } from "./support";

/**
 * The scenarios' target in workerd: the Worker's own fetch and scheduled handlers (one `createWorker`, what an
 * isolate holds) on the local D1 database of this test file, with a manual clock. Every request waits for the
 * work it passed to `waitUntil` (webhook attempts), as the edge lets it finish. `settings` are bindings; another
 * target given the same `clock` is another isolate of the same deployment.
 */
export function useWorkerTarget(
  settings: Record<string, string> = {},
  clock = new ManualClock(new Date()),
): Target & { clock: ManualClock } {
  const worker = createWorker({ clock });
  const bindings = {
    ...env,
    // Scenarios call far faster than a partner would and the clock stands still: limits that matter to a
    // scenario are set by it.
    RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
    RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE: "1000000",
    ...settings,
  };
  return {
    runtime: "workerd",
    operator,
    async send(request) {
      const ctx = createExecutionContext();
      const answer = await read(await worker.fetch(request, bindings, ctx));
      await waitOnExecutionContext(ctx);
      return answer;
    },
    clock,
    async rows(query, ...args) {
      return (
        await d1()
          .prepare(query)
          .bind(...args)
          .all()
      ).results as never[];
    },
    settle: async () => {},
    async runJobs() {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: clock.now() }), bindings, ctx);
      await waitOnExecutionContext(ctx);
    },
  };
}
