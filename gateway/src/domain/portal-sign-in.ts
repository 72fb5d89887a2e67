import { hashPassword, verifyPassword } from "../auth/passwords";
import { sha256Hex } from "../auth/secrets";
import { type PortalUser, selectSignInUser, setPasswordByLink } from "../db/queries/portal-sign-in";
import { selectSignInFailures } from "../db/queries/sign-in-failures";
import type { Deps } from "../deps";
import { clearFailures, countFailure, emailKey, isLocked } from "./sign-in-failures";

/**
 * None of the outcomes depends on whether the email has an account: an unknown email, a wrong password and a
 * suspended partner are refused alike, and any email locks after the same failures.
 */
export type SignIn = { outcome: "ok"; user: PortalUser } | { outcome: "refused" | "locked" };

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
    selectSignInUser(deps.db, email.trim().toLowerCase()),
    selectSignInFailures(deps.db, key),
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
  return setPasswordByLink(deps.db, sha256Hex(token), await hashPassword(password), deps.clock.now());
}
