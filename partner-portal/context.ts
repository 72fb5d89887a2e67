import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { findPartner } from "../gateway/src/domain/partners";
import type { PortalRole, PortalSession } from "../gateway/src/domain/portal-sessions";
import type { AppEnv } from "../gateway/src/http/context";
import { type I18n, i18n, negotiateLocale } from "./i18n";
import { enumLabel, portalProblem } from "./problems";
import { readSession } from "./session";

export type PortalEnv = AppEnv & { Variables: AppEnv["Variables"] & { i18n: I18n; session?: PortalSession } };

export const createPortalRouter = () => new Hono<PortalEnv>();

export const languageCookie = "cg_lang";

/** The visitor's language: the switch's cookie, else `Accept-Language`. It reads only headers, so it cannot fail. */
export const languageOf = (c: Context<PortalEnv>): I18n =>
  i18n(negotiateLocale(getCookie(c, languageCookie), c.req.header("Accept-Language")));

/** Every portal request speaks the negotiated language: set first, so that even a refusal (413) does. */
export const portalLanguage = createMiddleware<PortalEnv>(async (c, next) => {
  c.set("i18n", languageOf(c));
  await next();
});

/** Every portal request knows its session, if any. */
export const portalSession = createMiddleware<PortalEnv>(async (c, next) => {
  c.set("session", await readSession(c));
  await next();
});

/**
 * A signed-in session with one of these roles; anyone else is sent to sign in, or refused with a 403 page that
 * names their role and whom to ask (an admin of their partner), or tells the operator and partner managers
 * apart.
 */
export const requireRole = (...roles: PortalRole[]) =>
  createMiddleware<PortalEnv>(async (c, next) => {
    const session = c.var.session;
    if (!session) {
      const login = roles.includes("operator") && roles.length === 1 ? "/portal/operator/login" : "/portal/login";
      return c.redirect(login, 303);
    }
    if (!roles.includes(session.role)) {
      const role = enumLabel(c.var.i18n, "roleName", session.role);
      if (!session.partnerId) throw portalProblem("forbidden", { reason: "partnerOnly" });
      if (roles.every((allowed) => allowed === "operator"))
        throw portalProblem("forbidden", { reason: "operatorOnly", values: { role } });
      const partner = (await findPartner(c.var.deps.db, session.partnerId)).name;
      throw portalProblem("forbidden", { reason: "role", values: { role, partner } });
    }
    await next();
  });

/** The signed-in session (after requireRole). */
export function sessionOf(c: { var: { session?: PortalSession } }): PortalSession {
  if (!c.var.session) throw new Error("requireRole must run first");
  return c.var.session;
}

/** The signed-in manager's partner (the operator has none: 403). */
export const partnerOf = (c: Context<PortalEnv>) => {
  const { partnerId } = sessionOf(c);
  if (!partnerId) throw portalProblem("forbidden", { reason: "partnerOnly" });
  return partnerId;
};
