import { first, type SqlReader } from "../reader";
import type { events, webhookDeliveries, webhookEndpoints } from "../schema";
import type { AtomicWriter, Statement } from "../writer";
import type { SqlRow } from "./rows";

/** Ids of events written without their deliveries, oldest first. */
export async function listUnfannedEventIds(reader: SqlReader, limit: number): Promise<string[]> {
  const rows = await reader.all<Pick<SqlRow<typeof events>, "id">>(
    "select id from events where fanned_out_at is null order by created_at limit ?",
    [limit],
  );
  return rows.map((row) => row.id);
}

export const markFannedOutStatement = (eventId: string, at: Date): Statement => ({
  sql: "update events set fanned_out_at = ? where id = ?",
  args: [at.getTime(), eventId],
});

/** A delivery claimed by one dispatcher until its lease (`leaseId`) runs out. */
export type ClaimedDelivery = { eventId: string; endpointId: string; attempts: number; leaseId: string };

/** Pending, due by `?`, not leased or its lease over by `?`, to an enabled endpoint. */
const due = `status = 'pending' and next_attempt_at <= ? and (lease_until is null or lease_until <= ?)
  and endpoint_id in (select id from webhook_endpoints where status = 'enabled' and deleted_at is null)`;

/** Whether any delivery is due at `now`: a read, so an idle dispatcher costs no write transaction. */
export async function hasDueDelivery(reader: SqlReader, now: Date): Promise<boolean> {
  const row = await first(reader, `select 1 from webhook_deliveries where ${due} limit 1`, [
    now.getTime(),
    now.getTime(),
  ]);
  return row !== undefined;
}

/**
 * Leases up to `limit` deliveries due at `now` until `until`, earliest due first: one UPDATE ... RETURNING, so
 * of several dispatchers (processes, isolates, cron runs) exactly one gets each attempt.
 */
export async function leaseDueDeliveries(
  writer: AtomicWriter,
  lease: { id: string; now: Date; until: Date; limit: number },
): Promise<ClaimedDelivery[]> {
  const now = lease.now.getTime();
  const [claimed] = await writer.write([
    {
      sql: `update webhook_deliveries set lease_id = ?, lease_until = ?
            where rowid in (select rowid from webhook_deliveries where ${due} order by next_attempt_at limit ?)
            returning event_id, endpoint_id, attempts`,
      args: [lease.id, lease.until.getTime(), now, now, lease.limit],
    },
  ]);
  const rows = (claimed ?? []) as Pick<SqlRow<typeof webhookDeliveries>, "event_id" | "endpoint_id" | "attempts">[];
  return rows.map((row) => ({
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    attempts: row.attempts,
    leaseId: lease.id,
  }));
}

/** What one attempt sends, and to whom: the event's body and the endpoint's address, secrets and health. */
export type DeliveryTarget = {
  payload: string;
  url: string;
  partnerId: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
};

export async function findDeliveryTarget(
  reader: SqlReader,
  eventId: string,
  endpointId: string,
): Promise<DeliveryTarget | undefined> {
  const row = await first<
    Pick<SqlRow<typeof events>, "payload"> &
      Pick<
        SqlRow<typeof webhookEndpoints>,
        "url" | "partner_id" | "secret" | "previous_secret" | "previous_secret_expires_at" | "failing_since"
      >
  >(
    reader,
    `select e.payload, w.url, w.partner_id, w.secret, w.previous_secret, w.previous_secret_expires_at, w.failing_since
     from events e, webhook_endpoints w where e.id = ? and w.id = ?`,
    [eventId, endpointId],
  );
  return (
    row && {
      payload: row.payload,
      url: row.url,
      partnerId: row.partner_id,
      secret: row.secret,
      previousSecret: row.previous_secret,
      previousSecretExpiresAt:
        row.previous_secret_expires_at === null ? null : new Date(row.previous_secret_expires_at),
      failingSince: row.failing_since === null ? null : new Date(row.failing_since),
    }
  );
}

const releaseLease = "lease_id = null, lease_until = null";
/** The claimed delivery, only while this claim's lease is still its own. */
const claimedBy = "where event_id = ? and endpoint_id = ? and lease_id = ?";
const claimKey = (claim: ClaimedDelivery) => [claim.eventId, claim.endpointId, claim.leaseId];

/** The delivery succeeded at its `attempts`-th attempt; its endpoint's failure streak ends. */
export const deliverySucceededStatements = (claim: ClaimedDelivery, attempts: number): Statement[] => [
  {
    sql: `update webhook_deliveries set status = 'succeeded', attempts = ?, next_attempt_at = null, ${releaseLease} ${claimedBy}`,
    args: [attempts, ...claimKey(claim)],
  },
  { sql: "update webhook_endpoints set failing_since = null where id = ?", args: [claim.endpointId] },
];

/**
 * The `attempts`-th attempt failed at `at`: the delivery waits for `nextAttemptAt`, or has failed for good when
 * there is none, and its endpoint's failure streak starts unless it is already running.
 */
export const deliveryFailedStatements = (
  claim: ClaimedDelivery,
  attempts: number,
  nextAttemptAt: Date | null,
  at: Date,
): Statement[] => [
  {
    sql: `update webhook_deliveries set status = ?, attempts = ?, next_attempt_at = ?, ${releaseLease} ${claimedBy}`,
    args: [nextAttemptAt ? "pending" : "failed", attempts, nextAttemptAt?.getTime() ?? null, ...claimKey(claim)],
  },
  {
    sql: "update webhook_endpoints set failing_since = coalesce(failing_since, ?) where id = ?",
    args: [at.getTime(), claim.endpointId],
  },
];

/** An SQL condition (for `outboxInsert`'s `onlyIf`) that holds while the endpoint is enabled. */
export const endpointEnabled = (endpointId: string) => ({
  sql: "exists (select 1 from webhook_endpoints where id = ? and status = 'enabled')",
  args: [endpointId],
});

/** Disables the endpoint if it is still enabled, saying why. */
export const disableEndpointStatement = (
  endpointId: string,
  reason: NonNullable<SqlRow<typeof webhookEndpoints>["disabled_reason"]>,
  at: Date,
): Statement => ({
  sql: `update webhook_endpoints set status = 'disabled', disabled_reason = ?, updated_at = ?
        where id = ? and status = 'enabled'`,
  args: [reason, at.getTime(), endpointId],
});

/** Schedules the event to the endpoint again, due at `at`, its retry schedule starting over. */
export const resendDeliveryStatement = (
  delivery: { eventId: string; endpointId: string; partnerId: string },
  at: Date,
): Statement => ({
  sql: `insert into webhook_deliveries (event_id, endpoint_id, partner_id, status, attempts, next_attempt_at, created_at)
        values (?, ?, ?, 'pending', 0, ?, ?)
        on conflict (event_id, endpoint_id) do update set status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at`,
  args: [delivery.eventId, delivery.endpointId, delivery.partnerId, at.getTime(), at.getTime()],
});
