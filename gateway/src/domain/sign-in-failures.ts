import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { sha256Hex } from "../auth/secrets";
import { portalSignInFailures } from "../db/schema";
import type { Deps } from "../deps";

/** Failed sign-ins in a row that lock an email, and for how long (also how long a failure is remembered). */
export const maxFailedLogins = 5;
export const lockoutMs = 15 * 60_000;

const failures = portalSignInFailures;

/** The row of an email, as typed in the form: trimmed and lower-cased like the emails of portal users. */
export const emailKey = (email: string) => sha256Hex(email.trim().toLowerCase());

/** Selects an email's failures, to run in the same batch as the user's row. */
export const selectFailures = (deps: Pick<Deps, "db">, key: string) =>
  deps.db.select().from(failures).where(eq(failures.emailHash, key));

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
  const at = now.getTime();
  const locked = sql`${failures.lockedUntil} > ${at}`;
  const counted = sql`case when ${failures.updatedAt} <= ${at - lockoutMs} then 1 else ${failures.failures} + 1 end`;
  const [row] = await deps.db
    .insert(failures)
    .values({ emailHash: key, failures: 1, lockedUntil: null, updatedAt: now })
    .onConflictDoUpdate({
      target: failures.emailHash,
      set: {
        failures: sql`case when ${locked} then ${failures.failures} else ${counted} end`,
        lockedUntil: sql`case when ${locked} then ${failures.lockedUntil} when ${counted} >= ${maxFailedLogins} then ${at + lockoutMs} else null end`,
        updatedAt: sql`case when ${locked} then ${failures.updatedAt} else ${at} end`,
      },
    })
    .returning({ lockedUntil: failures.lockedUntil });
  return isLocked(row, now);
}

/** A successful sign-in forgets the email's failures. */
export async function clearFailures(deps: Pick<Deps, "db">, key: string): Promise<void> {
  await deps.db.delete(failures).where(eq(failures.emailHash, key));
}

/**
 * Deletes the rows that no longer matter: the lock (if any) is over and the last failure is `lockoutMs` old.
 * Any email gets a row, existing or not, so this is what keeps random emails from growing the table forever.
 * How fast anyone adds rows is already bounded by the portal's limit on failed sign-ins per client address
 * (partner-portal/routes/auth.tsx): at its default of 60 a minute, one address keeps at most about 900 rows.
 */
export async function cleanUpSignInFailures(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const now = deps.clock.now();
  const deleted = await deps.db
    .delete(failures)
    .where(
      and(
        or(isNull(failures.lockedUntil), lte(failures.lockedUntil, now)),
        lte(failures.updatedAt, new Date(now.getTime() - lockoutMs)),
      ),
    )
    .returning({ key: failures.emailHash });
  return deleted.length;
}
