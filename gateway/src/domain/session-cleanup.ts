import { deleteExpiredSessions } from "../db/queries/expired-sessions";
import type { Deps } from "../deps";

/** Deletes expired portal sessions and hosted member pages (they are refused from their expiry on anyway). */
export async function cleanUpSessions(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  return deleteExpiredSessions(deps.db, deps.clock.now());
}
