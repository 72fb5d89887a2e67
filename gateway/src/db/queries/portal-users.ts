import { eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { portalUsers } from "../schema";
import { both, type PageQuery, pageBy } from "./pages";

type PortalUser = typeof portalUsers.$inferSelect;

/** One of these emails (stored lower-cased) that a portal user has, if any. */
export async function findPortalUserEmail(db: Db, emails: string[]): Promise<string | undefined> {
  const row = await db
    .select({ email: portalUsers.email })
    .from(portalUsers)
    .where(inArray(portalUsers.email, emails))
    .get();
  return row?.email;
}

/** Inserts a portal user; the UNIQUE index on the email refuses a second one. */
export async function insertPortalUser(db: Db, user: PortalUser): Promise<void> {
  await db.insert(portalUsers).values(user);
}

/** A page of a partner's portal users, newest first. */
export async function listPortalUsersPage(db: Db, partnerId: string, query: PageQuery) {
  const page = pageBy(portalUsers.id, query);
  const rows = await db
    .select()
    .from(portalUsers)
    .where(both(eq(portalUsers.partnerId, partnerId), page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
