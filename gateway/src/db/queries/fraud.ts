import { eq, gte, lt } from "drizzle-orm";
import type { Db } from "../client";
import { fraudEvents } from "../schema";
import type { Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";

/** What a fraud rule decided about one operation (`at`: when). */
export type FraudEvent = Omit<typeof fraudEvents.$inferSelect, "createdAt"> & { at: Date };

/** The fraud event row: a hold writes it in the same atomic unit as the hold, a rejection on its own. */
export const insertFraudEventStatement = (event: FraudEvent): Statement => ({
  sql: `insert into fraud_events (id, rule, decision, operation, partner_id, program_id, member_id, points, detail,
          review_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    event.id,
    event.rule,
    event.decision,
    event.operation,
    event.partnerId,
    event.programId,
    event.memberId,
    event.points,
    event.detail,
    event.reviewId,
    event.at.getTime(),
  ],
});

type FraudEventFilters = {
  rule?: string;
  partner_id?: string;
  member_id?: string;
  decision?: FraudEvent["decision"];
  created_from?: string;
  created_to?: string;
};

/** A page of fraud events, newest first, narrowed by the filters (`created_to` excluded). */
export async function listFraudEventsPage(db: Db, query: PageQuery & FraudEventFilters) {
  const page = pageBy(fraudEvents.id, query);
  const rows = await db
    .select()
    .from(fraudEvents)
    .where(
      both(
        page.where,
        query.rule ? eq(fraudEvents.rule, query.rule) : undefined,
        query.partner_id ? eq(fraudEvents.partnerId, query.partner_id) : undefined,
        query.member_id ? eq(fraudEvents.memberId, query.member_id) : undefined,
        query.decision ? eq(fraudEvents.decision, query.decision) : undefined,
        query.created_from ? gte(fraudEvents.createdAt, new Date(query.created_from)) : undefined,
        query.created_to ? lt(fraudEvents.createdAt, new Date(query.created_to)) : undefined,
      ),
    )
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
