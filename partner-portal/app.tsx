import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../gateway/src/errors";
import { favicon, portalCss } from "./assets";
import { createPortalRouter, languageOf, type PortalEnv, portalLanguage, portalSession } from "./context";
import type { I18n } from "./i18n";
import { ErrorPage } from "./pages/error";
import { portalRenderer, renderPage } from "./render";
import { authRoutes } from "./routes/auth";
import { credentialRoutes } from "./routes/credentials";
import { dashboardRoutes } from "./routes/dashboard";
import { memberRoutes } from "./routes/member";
import { operatorRoutes } from "./routes/operator";
import { statementRoutes } from "./routes/statements";
import { webhookRoutes } from "./routes/webhooks";

/** The largest form the portal reads; its forms send a few hundred bytes. */
const maxFormBytes = 16 * 1024;

/**
 * The partner portal, server-rendered with hono/jsx and mounted at /portal: partner managers' statements,
 * dashboard, webhooks and credentials; the operator's view; and the hosted member conversion page.
 */
export function createPortal() {
  const portal = createPortalRouter();
  portal.get("/assets/portal.css", (c) =>
    c.body(portalCss, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" }),
  );
  portal.get("/assets/favicon.svg", favicon);
  portal.use(portalRenderer);
  portal.use(portalLanguage);
  portal.use(bodyLimit({ maxSize: maxFormBytes, onError: (c) => errorPage(c, 413, c.var.i18n.t("error.tooLarge")) }));
  portal.use(portalSession);
  portal.route("/", authRoutes);
  portal.route("/", dashboardRoutes);
  portal.route("/", statementRoutes);
  portal.route("/", webhookRoutes);
  portal.route("/", credentialRoutes);
  portal.route("/", operatorRoutes);
  portal.route("/", memberRoutes);
  portal.all("*", (c) => {
    throw new ApiError("not_found", `No page at ${c.req.path}.`);
  });
  // Errors as pages in the visitor's language; the API's problem+json is for programs, not people.
  portal.onError((error, c) => {
    const status = error instanceof ApiError || error instanceof HTTPException ? error.status : 500;
    if (status >= 500) {
      c.var.deps.log("error", "unhandled portal error", { request_id: c.var.requestId, error: String(error) });
      return errorPage(c, 500);
    }
    return errorPage(c, status as ContentfulStatusCode, error instanceof ApiError ? error.detail : undefined);
  });
  return portal;
}

/**
 * An error as a page in the visitor's language. It must render whatever went wrong, so it assumes no more than
 * the renderer, which cannot fail, ran first: the language comes from the request's headers when it was not
 * set, and a session only if read.
 */
function errorPage(c: Context<PortalEnv>, status: ContentfulStatusCode, detail?: string) {
  if (!(c.get("i18n") as I18n | undefined)) c.set("i18n", languageOf(c));
  return renderPage(
    c,
    <ErrorPage detail={detail ?? c.var.i18n.t("error.title")} requestId={c.var.requestId ?? ""} />,
    status,
  );
}
