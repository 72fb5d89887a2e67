import { randomToken, sha256Hex } from "../auth/secrets";
import {
  deletePortalSession,
  findUnexpiredPortalSession,
  insertPortalSession,
  type PortalSession,
} from "../db/queries/portal-sessions";
import type { Deps } from "../deps";

export type { PortalSession };
export type PortalRole = PortalSession["role"];

/** How long a portal sign-in lasts. */
export const portalSessionTtlMs = 8 * 3_600_000;

/** Whom a session signs in: a partner's portal user, or the operator by its client id. */
export type SessionHolder = Pick<PortalSession, "kind" | "userId" | "partnerId" | "clientId" | "role">;

/**
 * Starts a portal session for `holder`, with its own CSRF token. Answers the session's token, for the
 * cookie: only its SHA-256 is stored.
 */
export async function startPortalSession(deps: Pick<Deps, "db" | "clock">, holder: SessionHolder): Promise<string> {
  const token = randomToken(32);
  const now = deps.clock.now();
  await insertPortalSession(deps.db, {
    ...holder,
    tokenHash: sha256Hex(token),
    csrfToken: randomToken(24),
    expiresAt: new Date(now.getTime() + portalSessionTtlMs),
    createdAt: now,
  });
  return token;
}

/** The live session of a token, or undefined: unknown, expired, or its partner suspended (which ends it at once). */
export async function findPortalSession(
  deps: Pick<Deps, "db" | "clock">,
  token: string,
): Promise<PortalSession | undefined> {
  const found = await findUnexpiredPortalSession(deps.db, sha256Hex(token), deps.clock.now());
  return found && found.partnerStatus !== "suspended" ? found.session : undefined;
}

export async function endPortalSession(deps: Pick<Deps, "db">, token: string): Promise<void> {
  await deletePortalSession(deps.db, sha256Hex(token));
}
