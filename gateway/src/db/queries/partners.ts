import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { partners } from "../schema";
import { type PageQuery, pageBy } from "./pages";

type Partner = typeof partners.$inferSelect;

/** Inserts a partner; not awaited, it goes into the `db.batch` with its first credential. */
export const insertPartner = (db: Db, partner: Partner) => db.insert(partners).values(partner);

export async function findPartnerById(db: Db, id: string): Promise<Partner | undefined> {
  return db.select().from(partners).where(eq(partners.id, id)).get();
}

/** Changes a partner's editable fields; answers the partner as changed, or undefined when there is none. */
export async function updatePartnerFields(
  db: Db,
  id: string,
  changes: Partial<Pick<Partner, "name" | "contactEmail" | "requestsPerMinute">>,
): Promise<Partner | undefined> {
  const [partner] = await db.update(partners).set(changes).where(eq(partners.id, id)).returning();
  return partner;
}

/** Suspends (at `at`) or reactivates a partner; suspending twice keeps the first suspension time. */
export async function updatePartnerStatus(
  db: Db,
  id: string,
  status: Partner["status"],
  at: Date,
): Promise<Partner | undefined> {
  const [partner] = await db
    .update(partners)
    .set({
      status,
      suspendedAt: status === "suspended" ? sql`coalesce(${partners.suspendedAt}, ${at.getTime()})` : null,
    })
    .where(eq(partners.id, id))
    .returning();
  return partner;
}

/** A page of every partner, newest first. */
export async function listPartnersPage(db: Db, query: PageQuery) {
  const page = pageBy(partners.id, query);
  const rows = await db.select().from(partners).where(page.where).orderBy(page.orderBy).limit(page.fetch);
  return page.page(rows);
}
