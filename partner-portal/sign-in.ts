import { and, eq, gt, isNotNull } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../gateway/src/auth/passwords";
import { sha256Hex } from "../gateway/src/auth/secrets";
import { partners, portalUsers } from "../gateway/src/db/schema";
import type { Deps } from "../gateway/src/deps";
import {
  clearFailures,
  countFailure,
  emailKey,
  isLocked,
  selectFailures,
} from "../gateway/src/domain/sign-in-failures";

/**
 * None of the outcomes depends on whether the email has an account: an unknown email, a wrong password and a
 * suspended partner are refused alike, and any email locks after the same failures.
 */
export type SignIn = { outcome: "ok"; user: typeof portalUsers.$inferSelect } | { outcome: "refused" | "locked" };

/** A hash to verify against when the email has no password, so every attempt takes the same time. */
let decoy: Promise<string> | undefined;

/**
 * Checks a portal user's password. Every refusal counts against the email, known or not: the fifth in a row
 * (each within 15 minutes of the one before) locks it for 15 minutes, even against the right password, and
 * answers "locked" like every attempt until then; a success clears the count. A suspended partner's users
 * cannot sign in. Every attempt verifies exactly one PBKDF2 hash, the user's or the
 * decoy, locked or not, so that the time taken tells no more than the answer.
 */
export async function signInUser(deps: Pick<Deps, "db" | "clock">, email: string, password: string): Promise<SignIn> {
  const now = deps.clock.now();
  const key = emailKey(email);
  const [[row], [failures]] = await deps.db.batch([
    deps.db
      .select({ user: portalUsers, partnerStatus: partners.status })
      .from(portalUsers)
      .innerJoin(partners, eq(partners.id, portalUsers.partnerId))
      .where(eq(portalUsers.email, email.trim().toLowerCase())),
    selectFailures(deps, key),
  ]);
  decoy ??= hashPassword("decoy password for unknown emails");
  const matches = await verifyPassword(password, row?.user.passwordHash ?? (await decoy));
  if (isLocked(failures, now)) return { outcome: "locked" };
  if (row?.user.passwordHash && matches && row.partnerStatus === "active") {
    await clearFailures(deps, key);
    return { outcome: "ok", user: row.user };
  }
  return { outcome: (await countFailure(deps, key)) ? "locked" : "refused" };
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
