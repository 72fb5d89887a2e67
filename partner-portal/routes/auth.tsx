import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { authenticateClient } from "../../gateway/src/domain/credentials";
import { setPasswordWithLink, signInUser } from "../../gateway/src/domain/portal-sign-in";
import { lockoutMs } from "../../gateway/src/domain/sign-in-failures";
import { ApiError } from "../../gateway/src/errors";
import { clientAddress, countAgainst, enforceRequestLimit } from "../../gateway/src/http/rate-limit";
import { createPortalRouter, languageCookie, type PortalEnv } from "../context";
import { formFields } from "../form";
import { isLocale } from "../i18n";
import { LoginPage, SetPasswordPage } from "../pages/login";
import { renderPage } from "../render";
import { csrfValid, endSession, preSessionCookie, preSessionCsrf, startSession } from "../session";

/** Failed sign-ins per client address, as on /oauth/token: checked before, counted after a failure. */
const failuresOf = (c: Context<PortalEnv>) => ({
  name: "portal-failures",
  key: `portal-failures:${clientAddress(c)}`,
  perMinute: c.var.deps.config.RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE,
});

/**
 * Where the language switch may send the visitor back to: a path inside the portal (never an open redirect),
 * in URL characters only. A decoded CR, LF or NUL would make the Location header invalid (a 500), a space or a
 * backslash is not what the layout links; anything else goes to /portal.
 */
const portalPath = /^\/portal(?:[/?#][\w\-.~!$&'()*+,;=:@/?#%]*)?$/;

export const authRoutes = createPortalRouter()
  .get("/", (c) => c.redirect(c.var.session?.role === "operator" ? "/portal/operator" : "/portal/dashboard", 303))
  .get("/login", (c) => renderPage(c, <LoginPage csrf={preSessionCsrf(c)} />))
  .post("/login", async (c) => {
    const { i18n } = c.var;
    const body = await formFields(c);
    if (!csrfValid(c, body._csrf, getCookie(c, preSessionCookie)))
      return renderPage(c, <LoginPage csrf={preSessionCsrf(c)} error={i18n.t("csrf.invalid")} />, 403);
    await enforceRequestLimit(c, { ...failuresOf(c), mode: "peek" });
    const result = await signInUser(c.var.deps, body.email ?? "", body.password ?? "");
    if (result.outcome !== "ok") {
      await countAgainst(c, failuresOf(c));
      // The same pages whatever the email, not even echoing it: the answer must not tell which emails exist.
      const locked = result.outcome === "locked";
      const error = locked ? i18n.t("login.locked", { minutes: lockoutMs / 60_000 }) : i18n.t("login.invalid");
      return renderPage(c, <LoginPage csrf={preSessionCsrf(c)} error={error} />, locked ? 423 : 401);
    }
    await startSession(c, {
      kind: "partner",
      userId: result.user.id,
      partnerId: result.user.partnerId,
      clientId: null,
      role: result.user.role,
    });
    return c.redirect("/portal/dashboard", 303);
  })
  .get("/operator/login", (c) => renderPage(c, <LoginPage csrf={preSessionCsrf(c)} operator />))
  .post("/operator/login", async (c) => {
    const { i18n, deps } = c.var;
    const body = await formFields(c);
    if (!csrfValid(c, body._csrf, getCookie(c, preSessionCookie)))
      return renderPage(c, <LoginPage csrf={preSessionCsrf(c)} error={i18n.t("csrf.invalid")} operator />, 403);
    await enforceRequestLimit(c, { ...failuresOf(c), mode: "peek" });
    const client = await authenticateClient(deps, body.client_id ?? "", body.client_secret ?? "");
    if (!client.ok || client.partnerId !== null) {
      await countAgainst(c, failuresOf(c));
      return renderPage(c, <LoginPage csrf={preSessionCsrf(c)} error={i18n.t("login.invalid")} operator />, 401);
    }
    await startSession(c, {
      kind: "operator",
      userId: null,
      partnerId: null,
      clientId: client.clientId,
      role: "operator",
    });
    return c.redirect("/portal/operator", 303);
  })
  .post("/logout", async (c) => {
    const body = await formFields(c);
    if (c.var.session && !csrfValid(c, body._csrf, c.var.session.csrfToken))
      throw new ApiError("forbidden", c.var.i18n.t("csrf.invalid"));
    await endSession(c);
    return c.redirect("/portal/login", 303);
  })
  .get("/set-password", (c) =>
    renderPage(c, <SetPasswordPage csrf={preSessionCsrf(c)} token={c.req.query("token") ?? ""} />),
  )
  .post("/set-password", async (c) => {
    const { i18n } = c.var;
    const body = await formFields(c);
    const token = body.token ?? "";
    const page = (error: string, status: 400 | 403) =>
      renderPage(c, <SetPasswordPage csrf={preSessionCsrf(c)} token={token} error={error} />, status);
    if (!csrfValid(c, body._csrf, getCookie(c, preSessionCookie))) return page(i18n.t("csrf.invalid"), 403);
    if ((body.password ?? "").length < 12) return page(i18n.t("password.tooShort"), 400);
    if (!(await setPasswordWithLink(c.var.deps, token, body.password ?? "")))
      return page(i18n.t("password.invalidLink"), 400);
    return c.redirect("/portal/login", 303);
  })
  .get("/lang", (c) => {
    const to = c.req.query("to") ?? "";
    const back = c.req.query("back") ?? "/portal";
    if (isLocale(to))
      setCookie(c, languageCookie, to, { path: "/portal", sameSite: "Lax", secure: true, maxAge: 365 * 86_400 });
    return c.redirect(portalPath.test(back) ? back : "/portal", 303);
  });
