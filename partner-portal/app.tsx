import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError, type ErrorCode, errorCodes } from "../gateway/src/errors";
import { csvBodyLimitBytes } from "../gateway/src/http/middleware";
import { favicon, portalCss } from "./assets";
import { createPortalRouter, languageOf, type PortalEnv, portalLanguage, portalSession } from "./context";
import type { I18n } from "./i18n";
import { ErrorPage } from "./pages/error";
import { isCsrfProblem, problemMessage } from "./problems";
import { portalRenderer, renderPage } from "./render";
import { authRoutes } from "./routes/auth";
import { credentialRoutes } from "./routes/credentials";
import { dashboardRoutes } from "./routes/dashboard";
import { memberRoutes } from "./routes/member/index";
import { operatorRoutes } from "./routes/operator";
import { promotionRoutes } from "./routes/promotions";
import { reportRoutes } from "./routes/reports";
import { networkRoutes } from "./routes/reports-network";
import { rewardRoutes, rewardsImportPath } from "./routes/rewards";
import { segmentRoutes } from "./routes/segments";
import { statementRoutes } from "./routes/statements";
import { tierRoutes } from "./routes/tiers";
import { webhookRoutes } from "./routes/webhooks";

/** The largest form the portal reads; its forms send a few hundred bytes. */
const maxFormBytes = 16 * 1024;
/** The rewards import's form: a product list as large as the API's CSV uploads take, and the form's fields. */
const maxImportBytes = csvBodyLimitBytes + 64 * 1024;

/**
 * The partner portal, server-rendered with hono/jsx and mounted at /portal: partner managers' statements,
 * dashboard, tiers, segments, promotions and campaigns, rewards and their orders, webhooks and credentials; the operator's view; and the members' own hosted pages.
 */
export function createPortal() {
  const portal = createPortalRouter();
  portal.get("/assets/portal.css", (c) =>
    c.body(portalCss, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" }),
  );
  portal.get("/assets/favicon.svg", favicon);
  portal.use(portalRenderer);
  portal.use(portalLanguage);
  const tooLarge = (c: Context<PortalEnv>) =>
    errorPage(c, new ApiError("payload_too_large", c.var.i18n.t("error.tooLarge")));
  const formLimit = bodyLimit({ maxSize: maxFormBytes, onError: tooLarge });
  const importLimit = bodyLimit({ maxSize: maxImportBytes, onError: tooLarge });
  portal.use((c, next) => (c.req.path === rewardsImportPath ? importLimit : formLimit)(c, next));
  portal.use(portalSession);
  portal.route("/", authRoutes);
  portal.route("/", dashboardRoutes);
  portal.route("/", statementRoutes);
  portal.route("/", tierRoutes);
  portal.route("/", segmentRoutes);
  portal.route("/", promotionRoutes);
  portal.route("/", rewardRoutes);
  portal.route("/", reportRoutes);
  portal.route("/", webhookRoutes);
  portal.route("/", credentialRoutes);
  portal.route("/", networkRoutes);
  portal.route("/", operatorRoutes);
  portal.route("/", memberRoutes);
  portal.all("*", (c) => {
    throw new ApiError("not_found", `No page at ${c.req.path}.`);
  });
  // Errors as pages in the visitor's language; the API's problem+json is for programs, not people.
  portal.onError((error, c) => {
    const status = error instanceof ApiError || error instanceof HTTPException ? error.status : 500;
    if (status >= 500 && !(error instanceof ApiError && error.code === "service_unavailable")) {
      c.var.deps.log("error", "unhandled portal error", { request_id: c.var.requestId, error: String(error) });
      return errorPage(c, new ApiError("internal_error", "unhandled portal error"));
    }
    return errorPage(c, error instanceof ApiError ? error : new ApiError(codeOfStatus(status), error.message));
  });
  return portal;
}

/** The first code with an HTTP status (a framework's refusal carries only the status). */
const codeOfStatus = (status: number): ErrorCode =>
  (Object.keys(errorCodes) as ErrorCode[]).find((code) => errorCodes[code][0] === status) ?? "validation_failed";

/**
 * An error as a page in the visitor's language, with its status and its `Retry-After`. It must render whatever
 * went wrong, so it assumes no more than the renderer, which cannot fail, ran first: the language comes from the
 * request's headers when it was not set, and a session only if read. A form that expired links back to the page
 * it came from (the Referer, if it is a portal page of this site).
 */
function errorPage(c: Context<PortalEnv>, error: ApiError) {
  if (!(c.get("i18n") as I18n | undefined)) c.set("i18n", languageOf(c));
  const retryAfter = error.options.headers?.["Retry-After"];
  if (retryAfter) c.header("Retry-After", retryAfter);
  const csrf = isCsrfProblem(error);
  const referer = csrf ? c.req.header("Referer") : undefined;
  const back = referer && URL.canParse(referer) ? new URL(referer) : undefined;
  const sameSite = back?.origin === new URL(c.req.url).origin && back.pathname.startsWith("/portal/");
  return renderPage(
    c,
    <ErrorPage
      status={error.status}
      message={problemMessage(c.var.i18n, error)}
      requestId={c.var.requestId ?? ""}
      path={c.req.method === "GET" ? c.req.path : "/portal"}
      csrf={csrf}
      back={sameSite ? `${back.pathname}${back.search}` : undefined}
    />,
    error.status as ContentfulStatusCode,
  );
}
