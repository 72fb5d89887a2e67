import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { createPortal } from "../../partner-portal/app";
import { favicon } from "../../partner-portal/assets";
import type { Deps } from "./deps";
import type { AppEnv } from "./http/context";
import { refuseControlCharacters } from "./http/control-characters";
import { defaultHook, onError } from "./http/errors";
import { routeMiss } from "./http/method-not-allowed";
import { dispatchWebhooksAfterWrites, jsonBody, requestContext, requestLog } from "./http/middleware";
import { securityHeaders } from "./http/security-headers";
import { registerRoutes } from "./routes";

/** Builds the whole gateway for the given dependencies. No globals and no environment reads here. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook });
  app.use(requestContext(deps));
  app.use(requestLog);
  app.use(securityHeaders);
  // Only public, credential-free documents are readable cross-origin; API calls come from servers.
  app.use("/.well-known/*", cors({ origin: "*", allowMethods: ["GET"] }));
  app.use("/openapi.json", cors({ origin: "*", allowMethods: ["GET"] }));
  app.use("/v1/*", jsonBody(deps.config.BODY_LIMIT_BYTES));
  app.use("/v1/*", refuseControlCharacters);
  app.use("/v1/*", dispatchWebhooksAfterWrites);
  registerRoutes(app);
  app.route("/portal", createPortal());
  app.get("/favicon.ico", favicon); // where browsers look on pages that link no icon (/docs, JSON)
  app.onError(onError);
  app.notFound(routeMiss(app.routes));
  return app;
}

export type App = ReturnType<typeof createApp>;
