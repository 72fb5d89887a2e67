import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../client";
import { partners, portalSessions } from "../schema";

export type PortalSession = typeof portalSessions.$inferSelect;

export async function insertPortalSession(db: Db, session: PortalSession): Promise<void> {
  await db.insert(portalSessions).values(session);
}

/** The unexpired session of a token hash, with its partner's status (null for the operator's). */
export async function findUnexpiredPortalSession(db: Db, tokenHash: string, now: Date) {
  return db
    .select({ session: portalSessions, partnerStatus: partners.status })
    .from(portalSessions)
    .leftJoin(partners, eq(partners.id, portalSessions.partnerId))
    .where(and(eq(portalSessions.tokenHash, tokenHash), gt(portalSessions.expiresAt, now)))
    .get();
}

export async function deletePortalSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(portalSessions).where(eq(portalSessions.tokenHash, tokenHash));
}
