import { randomToken, sha256Hex } from "../auth/secrets";
import { findMemberSessionByHash, insertMemberSessionStatement } from "../db/queries/member-sessions";
import type { memberSessions } from "../db/schema";
import type { Deps } from "../deps";
import { memberAccess } from "./access";
import { ensureNotErased, writeUnlessErased } from "./privacy/erased";

/** How long a member's hosted pages stay open. */
export const memberSessionTtlMs = 15 * 60_000;

export type MemberSession = typeof memberSessions.$inferSelect;

/**
 * An IANA time zone name as Intl knows it ("America/Sao_Paulo", "UTC"), in its canonical spelling; undefined
 * for anything else. The name is checked against a short pattern first, so an offset or a long text is refused
 * whatever the runtime's Intl accepts.
 */
export function canonicalTimezone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name) || name.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The member's time zone travels in the page's token, after a dot, as base64url: the database keeps only the
 * hash of the whole token, so the zone needs no column and cannot be changed without making the token unknown.
 */
const zoneInToken = (timezone: string) => btoa(timezone).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** The time zone a page's token was opened with ("UTC" when none was given or it cannot be read). */
export function memberSessionTimezone(token: string): string {
  const encoded = token.split(".")[1];
  if (!encoded) return "UTC";
  try {
    return canonicalTimezone(atob(encoded.replaceAll("-", "+").replaceAll("_", "/"))) ?? "UTC";
  } catch {
    return "UTC";
  }
}

/**
 * Opens the hosted pages of one member of a program, on behalf of a partner allowed to burn there
 * (the same check as a quote). The token in the URL is good only for that member's conversions out of that
 * program, and only for 15 minutes; only its hash is stored.
 */
export async function createMemberSession(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "config">,
  input: { partnerId: string; programId: string; externalId: string; timezone?: string },
): Promise<{ url: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const { member } = await memberAccess(deps.reader, input.programId, input.externalId, input.partnerId, now, "burn");
  ensureNotErased(member);
  const token = input.timezone ? `${randomToken(32)}.${zoneInToken(input.timezone)}` : randomToken(32);
  const expiresAt = new Date(now.getTime() + memberSessionTtlMs);
  // An erase deletes the member's sessions: one racing it must not leave a page open after it.
  await writeUnlessErased(deps.writer, member.id, [
    insertMemberSessionStatement(deps.db, {
      tokenHash: sha256Hex(token),
      partnerId: input.partnerId,
      programId: input.programId,
      externalId: input.externalId,
      csrfToken: randomToken(24),
      expiresAt,
      createdAt: now,
    }),
  ]);
  return { url: new URL(`/portal/member/${token}`, deps.config.PUBLIC_URL).toString(), expiresAt };
}

/** The open session of a page token, or undefined when unknown, expired, or its partner is suspended. */
export async function findMemberSession(deps: Pick<Deps, "db" | "clock">, token: string) {
  const row = await findMemberSessionByHash(deps.db, sha256Hex(token));
  const open = row?.partnerStatus === "active" && row.session.expiresAt > deps.clock.now();
  return open ? row.session : undefined;
}
