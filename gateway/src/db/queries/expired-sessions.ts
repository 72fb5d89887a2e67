import { lt } from "drizzle-orm";
import type { Db } from "../client";
import { memberSessions, portalSessions } from "../schema";
import { deleteEndedSessionReveals } from "./credential-reveals";

/**
 * Deletes the portal sessions and hosted member pages that expired before `now`, and what the portal kept for
 * ended sessions (credential reveals), in one batch; answers how many sessions and pages.
 */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const [portal, member] = await db.batch([
    db.delete(portalSessions).where(lt(portalSessions.expiresAt, now)).returning({ id: portalSessions.tokenHash }),
    db.delete(memberSessions).where(lt(memberSessions.expiresAt, now)).returning({ id: memberSessions.tokenHash }),
    // The credential secrets and form nonces of the portal sessions that ended (expired, or signed out).
    deleteEndedSessionReveals(db),
  ]);
  return portal.length + member.length;
}
