import { lt } from "drizzle-orm";
import type { Db } from "../client";
import { memberSessions, portalSessions } from "../schema";

/** Deletes the portal sessions and hosted member pages that expired before `now`, in one batch; answers how many. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const [portal, member] = await db.batch([
    db.delete(portalSessions).where(lt(portalSessions.expiresAt, now)).returning({ id: portalSessions.tokenHash }),
    db.delete(memberSessions).where(lt(memberSessions.expiresAt, now)).returning({ id: memberSessions.tokenHash }),
  ]);
  return portal.length + member.length;
}
