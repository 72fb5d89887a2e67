import { createPortal } from "../../partner-portal/app";
import { favicon } from "../../partner-portal/assets";
import { createApp } from "./app";
import type { Deps } from "./deps";
import { routeMiss } from "./http/method-not-allowed";
import { syncSandboxClockFirst } from "./http/sandbox-clock";

/**
 * The composition root: the whole gateway as the entries (node.ts, worker.ts), the tests and the bench serve
 * it. The API (createApp) with the partner portal at /portal; the only place gateway/ reaches into
 * partner-portal/.
 *
 * The portal joins the API's own app rather than both joining a new one: the API's request context, log and
 * security headers then run for the portal too, and Hono's `route()` does not wrap every API handler in a
 * further error-handling layer on every request, as it would for a sub-app with its own `onError`.
 */
export function createServer(deps: Deps) {
  const server = createApp(deps);
  if (deps.sandboxClock) server.use("/portal/*", syncSandboxClockFirst(deps.sandboxClock, deps.reader));
  server.route("/portal", createPortal());
  server.get("/favicon.ico", favicon); // where browsers look on pages that link no icon (/docs, JSON)
  // Again, now that the portal and the icon are mounted: `POST /favicon.ico` is a 405, not a 404.
  server.notFound(routeMiss(server.routes));
  return server;
}

/** The gateway as served: what `fetch` and `request` are called on. */
export type Gateway = ReturnType<typeof createServer>;
