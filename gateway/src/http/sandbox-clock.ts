import { createMiddleware } from "hono/factory";
import type { SandboxClock } from "../clock";
import type { SqlReader } from "../db/reader";
import { syncSandboxClock } from "../domain/sandbox-clock";

/**
 * Sandbox deployments only, on the paths that tell business time (the API's `/v1` and the portal): before the
 * request does anything, the business clock catches up with the deployment's test clock, which another process
 * or isolate may have moved. One read of one row, so that a move that has answered holds for every later request
 * everywhere.
 */
export const syncSandboxClockFirst = (clock: SandboxClock, reader: SqlReader) =>
  createMiddleware(async (_c, next) => {
    await syncSandboxClock(clock, reader);
    await next();
  });
