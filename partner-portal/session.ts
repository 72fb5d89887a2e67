import { and, eq, gt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { constantTimeEqual, randomToken, sha256Hex } from "../gateway/src/auth/secrets";
import { partners, portalSessions } from "../gateway/src/db/schema";
import type { AppEnv } from "../gateway/src/http/context";

export type PortalSession = typeof portalSessions.$inferSelect;
export type PortalRole = PortalSession["role"];

export const sessionCookie = "cg_session";
/** The login forms' CSRF token, before there is a session (double-submit: cookie and hidden field). */
export const preSessionCookie = "cg_csrf";
const sessionTtlMs = 8 * 3_600_000;

const cookieOptions = { path: "/portal", httpOnly: true, secure: true, sameSite: "Lax" } as const;

/** Starts a session: a random token in an `HttpOnly; Secure; SameSite=Lax` cookie; only its hash is stored. */
export async function startSession<E extends AppEnv>(
  c: Context<E>,
  who: Pick<PortalSession, "kind" | "userId" | "partnerId" | "clientId" | "role">,
): Promise<void> {
  const { deps } = c.var;
  const token = randomToken(32);
  const now = deps.clock.now();
  await deps.db.insert(portalSessions).values({
    ...who,
    tokenHash: sha256Hex(token),
    csrfToken: randomToken(24),
    expiresAt: new Date(now.getTime() + sessionTtlMs),
    createdAt: now,
  });
  setCookie(c, sessionCookie, token, { ...cookieOptions, maxAge: sessionTtlMs / 1000 });
  deleteCookie(c, preSessionCookie, { path: "/portal" });
}

/** The request's live session, or undefined. A suspended partner's sessions stop at once. */
export async function readSession<E extends AppEnv>(c: Context<E>): Promise<PortalSession | undefined> {
  const token = getCookie(c, sessionCookie);
  if (!token) return undefined;
  const { deps } = c.var;
  const row = await deps.db
    .select({ session: portalSessions, partnerStatus: partners.status })
    .from(portalSessions)
    .leftJoin(partners, eq(partners.id, portalSessions.partnerId))
    .where(and(eq(portalSessions.tokenHash, sha256Hex(token)), gt(portalSessions.expiresAt, deps.clock.now())))
    .get();
  if (!row || row.partnerStatus === "suspended") return undefined;
  return row.session;
}

export async function endSession<E extends AppEnv>(c: Context<E>): Promise<void> {
  const token = getCookie(c, sessionCookie);
  if (token) await c.var.deps.db.delete(portalSessions).where(eq(portalSessions.tokenHash, sha256Hex(token)));
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
