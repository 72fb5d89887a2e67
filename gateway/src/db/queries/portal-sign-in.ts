import { and, eq, gt, isNotNull } from "drizzle-orm";
import type { Db } from "../client";
import { partners, portalUsers } from "../schema";

export type PortalUser = typeof portalUsers.$inferSelect;

/**
 * The portal user of an email (stored lower-cased) with its partner's status; not awaited, so it runs in one
 * `db.batch` with the email's sign-in failures.
 */
export const selectSignInUser = (db: Db, email: string) =>
  db
    .select({ user: portalUsers, partnerStatus: partners.status })
    .from(portalUsers)
    .innerJoin(partners, eq(partners.id, portalUsers.partnerId))
    .where(eq(portalUsers.email, email));

/**
 * Sets the password of the user whose set-password link (by its token's hash) is still valid at `now`, and
 * uses the link up in the same statement; answers whether there was such a user.
 */
export async function setPasswordByLink(db: Db, tokenHash: string, passwordHash: string, now: Date): Promise<boolean> {
  const used = await db
    .update(portalUsers)
    .set({ passwordHash, setPasswordTokenHash: null, setPasswordExpiresAt: null })
    .where(
      and(
        eq(portalUsers.setPasswordTokenHash, tokenHash),
        isNotNull(portalUsers.setPasswordExpiresAt),
        gt(portalUsers.setPasswordExpiresAt, now),
      ),
    )
    .returning({ id: portalUsers.id });
  return used.length === 1;
}
