import type { SqlReader } from "../reader";
import type { Statement } from "../writer";
import { resendDeliveryStatement } from "./deliveries";
import { type OutboxRow, outboxInsert } from "./outbox";

/**
 * What an endpoint's health is read from, all derived from rows the dispatcher already keeps (no column of
 * its own): the attempts since its failure streak began, its last success, its earliest pending retry, and
 * when the dispatcher disabled it (its `webhook_endpoint.disabled` event).
 */
export type EndpointHealthFacts = {
  endpointId: string;
  attemptsSinceFailing: number;
  failedSinceFailing: number;
  lastSuccessAt: Date | null;
  nextAttemptAt: Date | null;
  pendingDeliveries: number;
  disabledEventAt: Date | null;
};

type FactsRow = {
  id: string;
  attempts_since: number;
  failed_since: number;
  last_success_at: number | null;
  next_attempt_at: number | null;
  pending: number;
  disabled_event_at: number | null;
};

const at = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

/** The health facts of the partner's endpoints (deleted ones left out), by endpoint id. */
export async function listEndpointHealthFacts(
  reader: SqlReader,
  partnerId: string,
  endpointId?: string,
): Promise<Map<string, EndpointHealthFacts>> {
  const rows = await reader.all<FactsRow>(
    `select w.id,
       (select count(*) from webhook_attempts a
         where a.endpoint_id = w.id and w.failing_since is not null and a.attempted_at >= w.failing_since) attempts_since,
       (select count(*) from webhook_attempts a
         where a.endpoint_id = w.id and w.failing_since is not null and a.attempted_at >= w.failing_since
           and a.outcome = 'failed') failed_since,
       (select max(a.attempted_at) from webhook_attempts a
         where a.endpoint_id = w.id and a.outcome = 'succeeded') last_success_at,
       (select min(d.next_attempt_at) from webhook_deliveries d
         where d.endpoint_id = w.id and d.status = 'pending') next_attempt_at,
       (select count(*) from webhook_deliveries d where d.endpoint_id = w.id and d.status = 'pending') pending,
       (select max(e.created_at) from events e
         where e.partner_id = w.partner_id and e.type = 'webhook_endpoint.disabled'
           and json_extract(e.payload, '$.data.endpoint_id') = w.id) disabled_event_at
     from webhook_endpoints w
     where w.partner_id = ? and w.deleted_at is null ${endpointId ? "and w.id = ?" : ""}`,
    endpointId ? [partnerId, endpointId] : [partnerId],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        endpointId: row.id,
        attemptsSinceFailing: Number(row.attempts_since),
        failedSinceFailing: Number(row.failed_since),
        lastSuccessAt: at(row.last_success_at),
        nextAttemptAt: at(row.next_attempt_at),
        pendingDeliveries: Number(row.pending),
        disabledEventAt: at(row.disabled_event_at),
      },
    ]),
  );
}

/** The state of one event's delivery to one endpoint, for showing how a test or a resend went. */
export type DeliveryState = { status: "pending" | "succeeded" | "failed"; attempts: number } | undefined;

export async function findDeliveryState(
  reader: SqlReader,
  eventId: string,
  endpointId: string,
): Promise<DeliveryState> {
  const [row] = await reader.all<{ status: "pending" | "succeeded" | "failed"; attempts: number }>(
    "select status, attempts from webhook_deliveries where event_id = ? and endpoint_id = ?",
    [eventId, endpointId],
  );
  return row && { status: row.status, attempts: Number(row.attempts) };
}

/**
 * The writes of an event addressed to one endpoint only, whatever the event types it subscribes to: the event
 * row (marked fanned out, so no fan-out sends it elsewhere) and its one delivery, due at once.
 */
export function singleDeliveryStatements(event: OutboxRow, endpointId: string): Statement[] {
  // outboxInsert's first statement is the event row; its fan-out (to every subscriber) is left out on purpose.
  const [eventRow] = outboxInsert(event);
  if (!eventRow) throw new Error("outboxInsert wrote no event row");
  return [eventRow, resendDeliveryStatement({ eventId: event.id, endpointId, partnerId: event.partnerId }, event.at)];
}
