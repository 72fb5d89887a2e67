import { and, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { events } from "../schema";
import { both, type PageQuery, pageBy } from "./pages";
import type { SqlRow } from "./rows";

type EventRecord = typeof events.$inferSelect;

/** One of the partner's events; undefined for another partner's. */
export async function findPartnerEvent(db: Db, partnerId: string, id: string): Promise<EventRecord | undefined> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.partnerId, partnerId)))
    .get();
}

/** The type of one of the partner's events, or undefined. */
export async function findPartnerEventType(reader: SqlReader, partnerId: string, id: string) {
  const row = await first<Pick<SqlRow<typeof events>, "type">>(
    reader,
    "select type from events where id = ? and partner_id = ?",
    [id, partnerId],
  );
  return row?.type;
}

type EventFilters = { type?: string; created_from?: string; created_to?: string };

/** A page of the partner's events, newest first, narrowed by the filters (`created_to` excluded). */
export async function listEventsPage(db: Db, partnerId: string, query: PageQuery & EventFilters) {
  const page = pageBy(events.id, query);
  const rows = await db
    .select()
    .from(events)
    .where(
      both(
        page.where,
        eq(events.partnerId, partnerId),
        query.type ? eq(events.type, query.type) : undefined,
        query.created_from ? gte(events.createdAt, new Date(query.created_from)) : undefined,
        query.created_to ? lt(events.createdAt, new Date(query.created_to)) : undefined,
      ),
    )
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
