import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";

/** The operator's controls of a sandbox deployment (SANDBOX=true): its test clock and its scheduled jobs. */
export function sandboxControls(gw: Gateway) {
  return {
    /** The business clock's time, in ms. */
    now: async () =>
      Date.parse(
        expectBody(await gw.call("GET", "/v1/sandbox/clock", { as: gw.operator }), op.getSandboxClock, 200).now,
      ),
    /** Moves the business clock forward to `time` (ms). */
    moveClockTo: async (time: number) =>
      expectBody(
        await gw.call("POST", "/v1/sandbox/clock", { as: gw.operator, body: { time: new Date(time).toISOString() } }),
        op.advanceSandboxClock,
        200,
      ),
    /** Runs every scheduled job now, at the business clock; answers what each did. */
    runJobs: async () =>
      expectBody(await gw.call("POST", "/v1/sandbox/jobs/run", { as: gw.operator }), op.runSandboxJobs, 200).jobs,
  };
}
