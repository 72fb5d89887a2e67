import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../gateway/src/http/errors";
import { portalCss } from "./assets";
import { createPortalRouter, portalContext } from "./context";
import { ErrorPage } from "./pages/error";
import { authRoutes } from "./routes/auth";
import { memberRoutes } from "./routes/member";
import { operatorRoutes } from "./routes/operator";
import { partnerRoutes } from "./routes/partner";

/**
 * The partner portal, server-rendered with hono/jsx and mounted at /portal: partner managers' statements,
 * dashboard, webhooks and credentials; the operator's view; and the hosted member conversion page.
 */
export function createPortal() {
  const portal = createPortalRouter();
  portal.use(bodyLimit({ maxSize: 16 * 1024 }));
  portal.use(portalContext);
  portal.get("/assets/portal.css", (c) =>
    c.body(portalCss, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" }),
  );
  portal.route("/", authRoutes);
  portal.route("/", partnerRoutes);
  portal.route("/", operatorRoutes);
  portal.route("/", memberRoutes);
  portal.all("*", (c) => {
    throw new ApiError("not_found", `No page at ${c.req.path}.`);
  });
  // Errors as pages in the visitor's language; the API's problem+json is for programs, not people.
  portal.onError((error, c) => {
    const status = error instanceof ApiError ? error.status : 500;
    if (status === 500)
      c.var.deps.log("error", "unhandled portal error", { request_id: c.var.requestId, error: String(error) });
    const detail = error instanceof ApiError && status !== 500 ? error.detail : c.var.i18n.t("error.title");
    return c.html(
      <ErrorPage i18n={c.var.i18n} session={c.var.session} detail={detail} requestId={c.var.requestId} />,
      status as 400,
    );
  });
  return portal;
}
