import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { portalSignInFailures as failures } from "../schema";

/** An email's failures (by `email_hash`); not awaited, so it runs in one `db.batch` with the user's row. */
export const selectSignInFailures = (db: Db, emailHash: string) =>
  db.select().from(failures).where(eq(failures.emailHash, emailHash));

/**
 * Counts a failure at `now` in one statement, so that concurrent failures each count and the one reaching
 * `maxFailures` locks for `lockoutMs`; answers the row's lock. A failure while locked changes nothing (the lock
 * does not grow); a count whose last failure is `lockoutMs` old starts over.
 */
export async function countSignInFailure(
  db: Db,
  emailHash: string,
  now: Date,
  rule: { maxFailures: number; lockoutMs: number },
): Promise<Date | null> {
  const at = now.getTime();
  const locked = sql`${failures.lockedUntil} > ${at}`;
  const counted = sql`case when ${failures.updatedAt} <= ${at - rule.lockoutMs} then 1 else ${failures.failures} + 1 end`;
  const [row] = await db
    .insert(failures)
    .values({ emailHash, failures: 1, lockedUntil: null, updatedAt: now })
    .onConflictDoUpdate({
      target: failures.emailHash,
      set: {
        failures: sql`case when ${locked} then ${failures.failures} else ${counted} end`,
        lockedUntil: sql`case when ${locked} then ${failures.lockedUntil} when ${counted} >= ${rule.maxFailures} then ${at + rule.lockoutMs} else null end`,
        updatedAt: sql`case when ${locked} then ${failures.updatedAt} else ${at} end`,
      },
    })
    .returning({ lockedUntil: failures.lockedUntil });
  return row?.lockedUntil ?? null;
}

export async function deleteSignInFailures(db: Db, emailHash: string): Promise<void> {
  await db.delete(failures).where(eq(failures.emailHash, emailHash));
}

/** Deletes the rows not locked at `now` whose last failure is not after `forgottenFrom`; answers how many. */
export async function deleteForgottenSignInFailures(db: Db, now: Date, forgottenFrom: Date): Promise<number> {
  const deleted = await db
    .delete(failures)
    .where(
      and(or(isNull(failures.lockedUntil), lte(failures.lockedUntil, now)), lte(failures.updatedAt, forgottenFrom)),
    )
    .returning({ key: failures.emailHash });
  return deleted.length;
}
