import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { memberSessions, partners } from "../schema";

export async function insertMemberSession(db: Db, session: typeof memberSessions.$inferSelect): Promise<void> {
  await db.insert(memberSessions).values(session);
}

/** The member session of a token hash, with its partner's status; whether it is still open is the caller's rule. */
export async function findMemberSessionByHash(db: Db, tokenHash: string) {
  return db
    .select({ session: memberSessions, partnerStatus: partners.status })
    .from(memberSessions)
    .innerJoin(partners, eq(partners.id, memberSessions.partnerId))
    .where(eq(memberSessions.tokenHash, tokenHash))
    .get();
}
