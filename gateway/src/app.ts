import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { Deps } from "./deps";
import type { AppEnv } from "./http/context";
import { refuseControlCharacters } from "./http/control-characters";
import { defaultHook, onError } from "./http/errors";
import { routeMiss } from "./http/method-not-allowed";
import { dispatchWebhooksAfterWrites, jsonBody, requestContext, requestLog } from "./http/middleware";
import { syncSandboxClockFirst } from "./http/sandbox-clock";
import { securityHeaders } from "./http/security-headers";
import { registerRoutes } from "./routes";

/**
 * The API for the given dependencies: every operation of /openapi.json, the docs and the JSON errors. No globals
 * and no environment reads here. The gateway as served, with the partner portal, is createServer (server.ts).
 */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook });
  app.use(requestContext(deps));
  // Only what tells business time: `/health` keeps answering 503 within its timeout when the database is down.
  if (deps.sandboxClock) app.use("/v1/*", syncSandboxClockFirst(deps.sandboxClock, deps.reader));
  app.use(requestLog);
  app.use(securityHeaders);
  // Only public, credential-free documents are readable cross-origin; API calls come from servers.
  app.use("/.well-known/*", cors({ origin: "*", allowMethods: ["GET"] }));
  app.use("/openapi.json", cors({ origin: "*", allowMethods: ["GET"] }));
  app.use("/v1/*", jsonBody(deps.config.BODY_LIMIT_BYTES));
  app.use("/v1/*", refuseControlCharacters);
  app.use("/v1/*", dispatchWebhooksAfterWrites);
  registerRoutes(app, { sandbox: deps.config.SANDBOX });
  app.onError(onError);
  app.notFound(routeMiss(app.routes));
  return app;
}
