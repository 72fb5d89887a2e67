import { lt } from "drizzle-orm";
import { memberSessions, portalSessions } from "../db/schema";
import type { Deps } from "../deps";

/** Deletes expired portal sessions and hosted member pages (they are refused from their expiry on anyway). */
export async function cleanUpSessions(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const now = deps.clock.now();
  const [portal, member] = await deps.db.batch([
    deps.db.delete(portalSessions).where(lt(portalSessions.expiresAt, now)).returning({ id: portalSessions.tokenHash }),
    deps.db.delete(memberSessions).where(lt(memberSessions.expiresAt, now)).returning({ id: memberSessions.tokenHash }),
  ]);
  return portal.length + member.length;
}
