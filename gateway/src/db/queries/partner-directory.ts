import { asc } from "drizzle-orm";
import type { Db } from "../client";
import { partners } from "../schema";

/** Every partner by name, as the operator's portal page lists them (the API pages them by id instead). */
export async function listPartnersByName(db: Db) {
  return db.select().from(partners).orderBy(asc(partners.name));
}
