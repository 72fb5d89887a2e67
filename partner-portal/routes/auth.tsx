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
import { LoginPage, minPasswordLength, SetPasswordPage } from "../pages/login";
import { duration, type FieldSpecs, type FormProblem, formProblems, portalProblem, problemMessage } from "../problems";
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

/** The fields of a form that fail their check, as the `validation_failed` problem the API would answer. */
function invalidFields(checks: Record<string, boolean>): ApiError | undefined {
  const errors = Object.entries(checks)
    .filter(([, valid]) => !valid)
    .map(([path]) => ({ path, message: "required" }));
  return errors.length
    ? new ApiError("validation_failed", `${errors.length} field(s) to fill.`, { errors })
    : undefined;
}

/** A sign-in form's refusal for a stale or foreign form: reload and try again. */
const csrfProblems = (c: Context<PortalEnv>): FormProblem[] => [
  { message: problemMessage(c.var.i18n, portalProblem("forbidden", { reason: "csrf" })) },
];

export const authRoutes = createPortalRouter()
  .get("/", (c) => c.redirect(c.var.session?.role === "operator" ? "/portal/operator" : "/portal/dashboard", 303))
  .get("/login", (c) => renderPage(c, <LoginPage csrf={preSessionCsrf(c)} />))
  .post("/login", async (c) => {
    const { i18n } = c.var;
    const body = await formFields(c);
    const typed = { email: (body.email ?? "").trim() };
    const refused = (problems: FormProblem[], status: 400 | 401 | 403 | 423) =>
      renderPage(c, <LoginPage csrf={preSessionCsrf(c)} problems={problems} typed={typed} />, status);
    if (!csrfValid(c, body._csrf, getCookie(c, preSessionCookie))) return refused(csrfProblems(c), 403);
    const invalid = invalidFields({ email: /^[^\s@]+@[^\s@]+$/.test(typed.email), password: Boolean(body.password) });
    if (invalid)
      return refused(
        formProblems(i18n, invalid, {
          email: { label: i18n.t("login.email"), message: i18n.t("problems.login.emailMissing") },
          password: { label: i18n.t("login.password"), message: i18n.t("problems.login.passwordMissing") },
        } satisfies FieldSpecs),
        400,
      );
    await enforceRequestLimit(c, { ...failuresOf(c), mode: "peek" });
    const result = await signInUser(c.var.deps, body.email ?? "", body.password ?? "");
    if (result.outcome !== "ok") {
      await countAgainst(c, failuresOf(c));
      // The same pages whatever the email, not even echoing it: the answer must not tell which emails exist.
      typed.email = "";
      if (result.outcome === "locked")
        return refused([{ message: i18n.t("problems.login.locked", { wait: duration(i18n, lockoutMs / 1000) }) }], 423);
      return refused(
        [
          { field: "email", message: i18n.t("problems.login.wrong") },
          { field: "password", message: i18n.t("problems.login.retypePassword") },
        ],
        401,
      );
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
    const typed = { client_id: (body.client_id ?? "").trim() };
    const refused = (problems: FormProblem[], status: 400 | 401 | 403) =>
      renderPage(c, <LoginPage csrf={preSessionCsrf(c)} problems={problems} typed={typed} operator />, status);
    if (!csrfValid(c, body._csrf, getCookie(c, preSessionCookie))) return refused(csrfProblems(c), 403);
    const invalid = invalidFields({ client_id: Boolean(typed.client_id), client_secret: Boolean(body.client_secret) });
    if (invalid)
      return refused(
        formProblems(i18n, invalid, {
          client_id: { label: i18n.t("login.clientId"), message: i18n.t("problems.operator.clientIdMissing") },
          client_secret: { label: i18n.t("login.clientSecret"), message: i18n.t("problems.operator.secretMissing") },
        }),
        400,
      );
    await enforceRequestLimit(c, { ...failuresOf(c), mode: "peek" });
    const client = await authenticateClient(deps, typed.client_id, body.client_secret ?? "");
    if (!client.ok || client.partnerId !== null) {
      await countAgainst(c, failuresOf(c));
      return refused(
        [
          { field: "client_id", message: i18n.t("problems.operator.wrong") },
          { field: "client_secret", message: i18n.t("problems.operator.secretMissing") },
        ],
        401,
      );
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
      throw portalProblem("forbidden", { reason: "csrf" });
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
    const page = (problems: FormProblem[], status: 400 | 403) =>
      renderPage(c, <SetPasswordPage csrf={preSessionCsrf(c)} token={token} problems={problems} />, status);
    if (!csrfValid(c, body._csrf, getCookie(c, preSessionCookie))) return page(csrfProblems(c), 403);
    const password = body.password ?? "";
    if (password.length < minPasswordLength) {
      const short = new ApiError(
        "validation_failed",
        `The password must have at least ${minPasswordLength} characters.`,
        {
          errors: [{ path: "password", message: `must have at least ${minPasswordLength} characters` }],
        },
      );
      const message = i18n.t("problems.password.short", { min: i18n.number(minPasswordLength) });
      return page(formProblems(i18n, short, { password: { label: i18n.t("password.new"), message } }), 400);
    }
    if (!(await setPasswordWithLink(c.var.deps, token, password)))
      return page([{ message: i18n.t("password.invalidLink") }], 400);
    return c.redirect("/portal/login", 303);
  })
  .get("/lang", (c) => {
    const to = c.req.query("to") ?? "";
    const back = c.req.query("back") ?? "/portal";
    if (isLocale(to))
      setCookie(c, languageCookie, to, { path: "/portal", sameSite: "Lax", secure: true, maxAge: 365 * 86_400 });
    return c.redirect(portalPath.test(back) ? back : "/portal", 303);
  });
