import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import type { SqlReader } from "../reader";
import { webhookEndpoints } from "../schema";
import type { Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";
import type { SqlRow } from "./rows";

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

export async function insertWebhookEndpoint(db: Db, endpoint: WebhookEndpoint): Promise<void> {
  await db.insert(webhookEndpoints).values(endpoint);
}

/** The partner's endpoint, unless deleted; undefined for another partner's. */
export async function findPartnerEndpoint(db: Db, partnerId: string, id: string): Promise<WebhookEndpoint | undefined> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.partnerId, partnerId), isNull(webhookEndpoints.deletedAt)),
    )
    .get();
}

export async function updateWebhookEndpoint(db: Db, id: string, changes: Partial<WebhookEndpoint>): Promise<void> {
  await db.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, id));
}

/**
 * Stores `changes` (a new secret) only if the endpoint still signs with `currentSecret`: false when another
 * rotation got there first.
 */
export async function replaceWebhookSecret(
  db: Db,
  id: string,
  currentSecret: string,
  changes: Partial<WebhookEndpoint>,
): Promise<boolean> {
  const stored = await db
    .update(webhookEndpoints)
    .set(changes)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.secret, currentSecret)))
    .returning({ id: webhookEndpoints.id });
  return stored.length > 0;
}

/** A page of the partner's endpoints (deleted ones left out), newest first. */
export async function listWebhookEndpointsPage(db: Db, partnerId: string, query: PageQuery) {
  const page = pageBy(webhookEndpoints.id, query);
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(both(page.where, eq(webhookEndpoints.partnerId, partnerId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

/**
 * The ids of the endpoints to send an event to again: the one named (any status, not deleted), or else every
 * enabled endpoint of the partner subscribed to `eventType`.
 */
export async function listResendEndpointIds(
  reader: SqlReader,
  partnerId: string,
  to: { endpointId: string } | { eventType: string },
): Promise<string[]> {
  const rows = await reader.all<Pick<SqlRow<typeof webhookEndpoints>, "id">>(
    "endpointId" in to
      ? "select id from webhook_endpoints where id = ? and partner_id = ? and deleted_at is null"
      : `select id from webhook_endpoints w where partner_id = ? and status = 'enabled' and deleted_at is null
           and exists (select 1 from json_each(w.event_types) t where t.value = ?)`,
    "endpointId" in to ? [to.endpointId, partnerId] : [partnerId, to.eventType],
  );
  return rows.map((row) => row.id);
}

type StatusRow = Pick<SqlRow<typeof webhookEndpoints>, "id" | "disabled_reason" | "updated_at">;

/** The endpoints a delivery runner disabled (410 Gone, or 5 days of failures), with when. */
export const runnerDisabledEndpoints = (reader: SqlReader) =>
  reader.all<StatusRow>(
    `select id, disabled_reason, updated_at from webhook_endpoints
      where status = 'disabled' and disabled_reason in ('gone', 'failing') and deleted_at is null`,
  );

/** The enabled endpoints, with when each last changed. */
export const enabledEndpoints = (reader: SqlReader) =>
  reader.all<Pick<StatusRow, "id" | "updated_at">>(
    "select id, updated_at from webhook_endpoints where status = 'enabled' and deleted_at is null",
  );

/** Disables the endpoint as another database's runner did, only while it is enabled and unchanged since. */
export const adoptDisablingStatement = (disabled: StatusRow): Statement => ({
  sql: `update webhook_endpoints set status = 'disabled', disabled_reason = ?, updated_at = ?
         where id = ? and status = 'enabled' and updated_at < ?`,
  args: [disabled.disabled_reason, disabled.updated_at, disabled.id, disabled.updated_at],
});
