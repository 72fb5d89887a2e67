import type { SqlValue, Statement } from "../writer";
import { type JsonPatch, patchedJson } from "./json-patch";

/** One event for one partner, as the outbox stores it (domain/outbox.ts names the types). */
export type OutboxRow = { id: string; partnerId: string; type: string; data: unknown; at: Date };

/** The whole webhook body of an event, as the outbox stores it and deliveries send it. */
export const webhookBody = (event: Pick<OutboxRow, "type" | "data" | "at">): string =>
  JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data: event.data });

/**
 * The outbox writes for one event to one partner, in the same batch as the movement: the event row (the whole
 * webhook body, `{ type, timestamp, data }`; `dataPatches` fill values known only at commit) and its deliveries
 * to the partner's enabled endpoints subscribed to its type, so nothing is left for a later fan-out to lose.
 * `onlyIf` (an SQL condition) writes the event, and so its deliveries, only when it holds at commit.
 */
export function outboxInsert(
  event: OutboxRow,
  dataPatches: readonly JsonPatch[] = [],
  onlyIf?: { sql: string; args: SqlValue[] },
): Statement[] {
  const template = webhookBody(event);
  const payload = patchedJson(
    template,
    dataPatches.map((patch) => ({ ...patch, path: patch.path.replace(/^\$/, "$.data") })),
  );
  const values = `?, ?, ?, ${payload.sql}, ?, ?`;
  const at = event.at.getTime();
  return [
    {
      sql: `insert into events (id, partner_id, type, payload, created_at, fanned_out_at) ${onlyIf ? `select ${values} where ${onlyIf.sql}` : `values (${values})`}`,
      args: [event.id, event.partnerId, event.type, ...payload.args, at, at, ...(onlyIf?.args ?? [])],
    },
    fanOutStatement(event.id),
  ];
}

/** The deliveries of the events `events` (an SQL condition on `e`) selects. */
const fanOutSql = (events: string) =>
  `insert into webhook_deliveries (event_id, endpoint_id, partner_id, status, attempts, next_attempt_at, created_at)
   select e.id, w.id, w.partner_id, 'pending', 0, e.created_at, e.created_at
   from events e join webhook_endpoints w on w.partner_id = e.partner_id
   where ${events} and w.status = 'enabled' and w.deleted_at is null
     and exists (select 1 from json_each(w.event_types) t where t.value = e.type)
   on conflict do nothing`;

/**
 * Creates an event's deliveries: one per enabled endpoint of its partner subscribed to its type, due at once.
 * Keyed by (event, endpoint), so running it twice changes nothing; nothing happens if the event is not there.
 */
export function fanOutStatement(eventId: string): Statement {
  return { sql: fanOutSql("e.id = ?"), args: [eventId] };
}

/** `fanOutStatement` for many events at once: their ids as a JSON array. */
export function fanOutEventsStatement(eventIdsJson: string): Statement {
  return { sql: fanOutSql("e.id in (select value from json_each(?))"), args: [eventIdsJson] };
}
