import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { events, webhookAttempts } from "../schema";
import type { Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";

/** One attempt of the delivery log, as stored. */
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;

/** One attempt in the delivery log, written with the delivery's next step. */
export const insertAttemptStatement = (attempt: WebhookAttempt): Statement => ({
  sql: `insert into webhook_attempts (id, event_id, endpoint_id, partner_id, attempt, outcome, response_status,
          response_excerpt, error, duration_ms, attempted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    attempt.id,
    attempt.eventId,
    attempt.endpointId,
    attempt.partnerId,
    attempt.attempt,
    attempt.outcome,
    attempt.responseStatus,
    attempt.responseExcerpt,
    attempt.error,
    attempt.durationMs,
    attempt.attemptedAt.getTime(),
  ],
});

type AttemptFilters = { event_id?: string; outcome?: WebhookAttempt["outcome"] };

/** A page of an endpoint's delivery log, newest first, each attempt with its event's type. */
export async function listAttemptsPage(db: Db, endpointId: string, query: PageQuery & AttemptFilters) {
  const page = pageBy(webhookAttempts.id, query);
  const rows = await db
    .select({ attempt: webhookAttempts, eventType: events.type })
    .from(webhookAttempts)
    .innerJoin(events, eq(events.id, webhookAttempts.eventId))
    .where(
      both(
        page.where,
        eq(webhookAttempts.endpointId, endpointId),
        query.event_id ? eq(webhookAttempts.eventId, query.event_id) : undefined,
        query.outcome ? eq(webhookAttempts.outcome, query.outcome) : undefined,
      ),
    )
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
