import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { Deps } from "./deps";
import type { AppEnv } from "./http/context";
import { defaultHook, notFound, onError } from "./http/errors";
import { jsonBody, requestContext, requestLog } from "./http/middleware";
import { registerRoutes } from "./routes";

/** Builds the whole gateway for the given dependencies. No globals and no environment reads here. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook });
  app.use(requestContext(deps));
  app.use(requestLog);
  app.use(
    secureHeaders({
      // /docs runs its own script and styles; everything else is JSON or server-rendered HTML.
      // blob: is content the page made itself: Scalar previews "try it" responses (images, PDF statements)
      // from blob URLs and runs its regex-with-timeout helper in a blob worker. Nothing from another origin.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        mediaSrc: ["'self'", "blob:"],
        objectSrc: ["'self'", "blob:"],
        workerSrc: ["'self'", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  // Only public, credential-free documents are readable cross-origin; API calls come from servers.
  app.use("/.well-known/*", cors({ origin: "*", allowMethods: ["GET"] }));
  app.use("/openapi.json", cors({ origin: "*", allowMethods: ["GET"] }));
  app.use("/v1/*", jsonBody(deps.config.BODY_LIMIT_BYTES));
  registerRoutes(app);
  app.onError(onError);
  app.notFound(notFound);
  return app;
}

export type App = ReturnType<typeof createApp>;
