import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { constantTimeEqual, randomToken } from "../gateway/src/auth/secrets";
import {
  endPortalSession,
  findPortalSession,
  type PortalSession,
  portalSessionTtlMs,
  type SessionHolder,
  startPortalSession,
} from "../gateway/src/domain/portal-sessions";
import type { AppEnv } from "../gateway/src/http/context";

export const sessionCookie = "cg_session";
/** The login forms' CSRF token, before there is a session (double-submit: cookie and hidden field). */
export const preSessionCookie = "cg_csrf";

const cookieOptions = { path: "/portal", httpOnly: true, secure: true, sameSite: "Lax" } as const;

/** Starts a session: a random token in an `HttpOnly; Secure; SameSite=Lax` cookie; only its hash is stored. */
export async function startSession<E extends AppEnv>(c: Context<E>, holder: SessionHolder): Promise<void> {
  const token = await startPortalSession(c.var.deps, holder);
  setCookie(c, sessionCookie, token, { ...cookieOptions, maxAge: portalSessionTtlMs / 1000 });
  deleteCookie(c, preSessionCookie, { path: "/portal" });
}

/** The request's live session, or undefined. A suspended partner's sessions stop at once. */
export async function readSession<E extends AppEnv>(c: Context<E>): Promise<PortalSession | undefined> {
  const token = getCookie(c, sessionCookie);
  return token ? findPortalSession(c.var.deps, token) : undefined;
}

export async function endSession<E extends AppEnv>(c: Context<E>): Promise<void> {
  const token = getCookie(c, sessionCookie);
  if (token) await endPortalSession(c.var.deps, token);
  deleteCookie(c, sessionCookie, { path: "/portal" });
}

/** The CSRF token for a login form: the one in the cookie, or a new one set now. */
export function preSessionCsrf<E extends AppEnv>(c: Context<E>): string {
  const existing = getCookie(c, preSessionCookie);
  if (existing) return existing;
  const token = randomToken(24);
  setCookie(c, preSessionCookie, token, { ...cookieOptions, maxAge: 3600 });
  return token;
}

/**
 * Whether a form POST is genuine: its `_csrf` field equals the session's token (or, before sign-in, the
 * cookie's), and a sent `Origin` is this site's. SameSite=Lax already keeps the session cookie off
 * cross-site POSTs; this is the second lock.
 */
export function csrfValid<E extends AppEnv>(c: Context<E>, sent: unknown, expected: string | undefined): boolean {
  const origin = c.req.header("Origin");
  if (origin && origin !== new URL(c.req.url).origin && origin !== new URL(c.var.deps.config.PUBLIC_URL).origin)
    return false;
  return typeof sent === "string" && expected !== undefined && sent.length > 0 && constantTimeEqual(sent, expected);
}
