import { Scalar } from "@scalar/hono-api-reference";
import { ApiError } from "../../errors";
import type { createRouter } from "../../http/context";

/** Same-origin path of Scalar's script: served by the Node entry (deps.docsScript) or by Workers static assets. */
export const docsScriptPath = "/docs/scalar.js";

/**
 * `GET /docs`: the interactive API reference (Scalar) over `/openapi.json`, loading nothing from another origin,
 * so it works offline and under the app's `'self'`-only Content-Security-Policy:
 * the script comes from {@link docsScriptPath} instead of jsDelivr, the default fonts (fonts.scalar.com) are
 * off, and "try it" requests go straight to the gateway instead of through proxy.scalar.com.
 * `GET /docs/scalar.js` answers from `deps.docsScript` where the host provides it. `GET /` leads a newcomer
 * who opens the gateway's address in a browser to the reference.
 */
export const register = (app: ReturnType<typeof createRouter>) => {
  app.get("/", (c) => c.redirect("/docs", 302));
  app.get(
    "/docs",
    Scalar({
      pageTitle: "coalition-gateway API reference",
      url: "/openapi.json",
      cdn: docsScriptPath,
      withDefaultFonts: false,
      proxyUrl: "",
      telemetry: false,
      agent: { disabled: true },
      showDeveloperTools: "never",
      documentDownloadType: "json",
    }),
  );
  app.get(docsScriptPath, (c) => {
    const serve = c.get("deps").docsScript;
    // On Workers the static asset answers before the Worker runs; reaching here means it was not deployed.
    if (!serve)
      throw new ApiError(
        "not_found",
        "The API reference script is not served by this host; deploy it as a static asset (scripts/copy-docs-assets.ts).",
      );
    return serve(c.req.raw);
  });
};
