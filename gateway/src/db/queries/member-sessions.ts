import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { memberSessions, partners } from "../schema";
import { type Statement, toStatement } from "../writer";

/** A member session's row, as a statement of the write that checks its member may still open pages. */
export const insertMemberSessionStatement = (db: Db, session: typeof memberSessions.$inferSelect): Statement =>
  toStatement(db.insert(memberSessions).values(session));

/** The member session of a token hash, with its partner's status; whether it is still open is the caller's rule. */
export async function findMemberSessionByHash(db: Db, tokenHash: string) {
  return db
    .select({ session: memberSessions, partnerStatus: partners.status })
    .from(memberSessions)
    .innerJoin(partners, eq(partners.id, memberSessions.partnerId))
    .where(eq(memberSessions.tokenHash, tokenHash))
    .get();
}
