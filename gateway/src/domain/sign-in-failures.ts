import { sha256Hex } from "../auth/secrets";
import {
  countSignInFailure,
  deleteForgottenSignInFailures,
  deleteSignInFailures,
} from "../db/queries/sign-in-failures";
import type { Deps } from "../deps";

/** Failed sign-ins in a row that lock an email, and for how long (also how long a failure is remembered). */
export const maxFailedLogins = 5;
export const lockoutMs = 15 * 60_000;

/** The row of an email, as typed in the form: trimmed and lower-cased like the emails of portal users. */
export const emailKey = (email: string) => sha256Hex(email.trim().toLowerCase());

/** Whether a row keeps its email locked at `now`. */
export const isLocked = (row: { lockedUntil: Date | null } | undefined, now: Date) =>
  (row?.lockedUntil?.getTime() ?? 0) > now.getTime();

/**
 * Counts a failure and answers whether the email is now locked. One statement, so that concurrent failures
 * each count and the one reaching the limit locks. A failure while locked changes nothing (the lock does not
 * grow); a count whose last failure is `lockoutMs` old starts over, so a row the cleanup job would delete
 * weighs exactly as much as no row.
 */
export async function countFailure(deps: Pick<Deps, "db" | "clock">, key: string): Promise<boolean> {
  const now = deps.clock.now();
  const lockedUntil = await countSignInFailure(deps.db, key, now, { maxFailures: maxFailedLogins, lockoutMs });
  return isLocked({ lockedUntil }, now);
}

/** A successful sign-in forgets the email's failures. */
export async function clearFailures(deps: Pick<Deps, "db">, key: string): Promise<void> {
  await deleteSignInFailures(deps.db, key);
}

/**
 * Deletes the rows that no longer matter: the lock (if any) is over and the last failure is `lockoutMs` old.
 * Any email gets a row, existing or not, so this is what keeps random emails from growing the table forever.
 * How fast anyone adds rows is already bounded by the portal's limit on failed sign-ins per client address
 * (partner-portal/routes/auth.tsx): at its default of 60 a minute, one address keeps at most about 900 rows.
 */
export async function cleanUpSignInFailures(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const now = deps.clock.now();
  return deleteForgottenSignInFailures(deps.db, now, new Date(now.getTime() - lockoutMs));
}
