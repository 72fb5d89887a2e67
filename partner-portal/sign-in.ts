import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../gateway/src/auth/passwords";
import { sha256Hex } from "../gateway/src/auth/secrets";
import { partners, portalUsers } from "../gateway/src/db/schema";
import type { Deps } from "../gateway/src/deps";

/** Failed passwords in a row that lock an account, and for how long. */
export const maxFailedLogins = 5;
export const lockoutMs = 15 * 60_000;

/**
 * Only two outcomes, so that nothing tells whether an email has an account: an unknown email, a wrong
 * password, a locked account and a suspended partner are all refused alike.
 */
export type SignIn = { outcome: "ok"; user: typeof portalUsers.$inferSelect } | { outcome: "refused" };

/** A hash to verify against when the email is unknown, so both cases take the same time. */
let decoy: Promise<string> | undefined;

/**
 * Checks a portal user's password. The fifth failure in a row locks the account for 15 minutes (even the right
 * password is refused meanwhile); a success clears the count. A suspended partner's users cannot sign in.
 * The lock is not revealed: an unknown email never locks, so a distinct answer would tell which emails exist.
 * Every attempt verifies one PBKDF2 hash, so that neither a locked account nor an unknown email answers faster.
 */
export async function signInUser(deps: Pick<Deps, "db" | "clock">, email: string, password: string): Promise<SignIn> {
  const now = deps.clock.now();
  const row = await deps.db
    .select({ user: portalUsers, partnerStatus: partners.status })
    .from(portalUsers)
    .innerJoin(partners, eq(partners.id, portalUsers.partnerId))
    .where(eq(portalUsers.email, email.trim().toLowerCase()))
    .get();
  decoy ??= hashPassword("decoy password for unknown emails");
  const matches = await verifyPassword(password, row?.user.passwordHash ?? (await decoy));
  if (!row?.user.passwordHash) return { outcome: "refused" };
  const { user } = row;
  if (user.lockedUntil && user.lockedUntil > now) return { outcome: "refused" };
  if (matches && row.partnerStatus === "active") {
    await deps.db.update(portalUsers).set({ failedLogins: 0, lockedUntil: null }).where(eq(portalUsers.id, user.id));
    return { outcome: "ok", user };
  }
  if (!matches) {
    // One statement: concurrent failures each count, and the one that reaches the limit locks.
    await deps.db
      .update(portalUsers)
      .set({
        failedLogins: sql`case when ${portalUsers.failedLogins} + 1 >= ${maxFailedLogins} then 0 else ${portalUsers.failedLogins} + 1 end`,
        lockedUntil: sql`case when ${portalUsers.failedLogins} + 1 >= ${maxFailedLogins} then ${now.getTime() + lockoutMs} else ${portalUsers.lockedUntil} end`,
      })
      .where(eq(portalUsers.id, user.id));
  }
  return { outcome: "refused" };
}

/** Sets the password of the user holding a valid set-password link; the link works once. */
export async function setPasswordWithLink(
  deps: Pick<Deps, "db" | "clock">,
  token: string,
  password: string,
): Promise<boolean> {
  const used = await deps.db
    .update(portalUsers)
    .set({ passwordHash: await hashPassword(password), setPasswordTokenHash: null, setPasswordExpiresAt: null })
    .where(
      and(
        eq(portalUsers.setPasswordTokenHash, sha256Hex(token)),
        isNotNull(portalUsers.setPasswordExpiresAt),
        gt(portalUsers.setPasswordExpiresAt, deps.clock.now()),
      ),
    )
    .returning({ id: portalUsers.id });
  return used.length === 1;
}
