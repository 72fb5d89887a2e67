import type { SqlValue, Statement } from "../db/writer";

/** Event types (documented under `webhooks` in /openapi.json), and the gateway's own about holds and endpoints. */
export const eventTypes = [
  "member.enrolled",
  "points.earned",
  "points.burned",
  "points.reversed",
  "points.expired",
  "points.held",
  "points.released",
  "conversion.completed",
  "conversion.held",
  "conversion.rejected",
  "settlement.statement_ready",
  "webhook_endpoint.disabled",
] as const;

export type EventType = (typeof eventTypes)[number];

export type OutboxEvent = { id: string; partnerId: string; type: EventType; data: unknown; at: Date };

/** A value computed inside the atomic write, e.g. `balance_after`, patched into a JSON document by SQL. */
export type JsonPatch = { path: string; sql: string; args: SqlValue[] };

/** `json_set(?, path, (subquery), ...)` over a JSON template, so the stored text holds values only the write knows. */
export function patchedJson(template: string, patches: readonly JsonPatch[]): { sql: string; args: SqlValue[] } {
  let sql = "?";
  const args: SqlValue[] = [template];
  for (const patch of patches) {
    sql = `json_set(${sql}, '${patch.path}', (${patch.sql}))`;
    args.push(...patch.args);
  }
  return { sql, args };
}

/**
 * The outbox writes for one event to one partner, in the same batch as the movement: the event row (the whole
 * webhook body, `{ type, timestamp, data }`; `dataPatches` fill values known only at commit) and its deliveries
 * to the partner's enabled endpoints subscribed to its type, so nothing is left for a later fan-out to lose.
 * `onlyIf` (an SQL condition) writes the event, and so its deliveries, only when it holds at commit.
 */
export function outboxInsert(
  event: OutboxEvent,
  dataPatches: readonly JsonPatch[] = [],
  onlyIf?: { sql: string; args: SqlValue[] },
): Statement[] {
  const template = JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data: event.data });
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

/**
 * Creates an event's deliveries: one per enabled endpoint of its partner subscribed to its type, due at once.
 * Keyed by (event, endpoint), so running it twice changes nothing; nothing happens if the event is not there.
 */
export function fanOutStatement(eventId: string): Statement {
  return {
    sql: `insert into webhook_deliveries (event_id, endpoint_id, partner_id, status, attempts, next_attempt_at, created_at)
          select e.id, w.id, w.partner_id, 'pending', 0, e.created_at, e.created_at
          from events e join webhook_endpoints w on w.partner_id = e.partner_id
          where e.id = ? and w.status = 'enabled' and w.deleted_at is null
            and exists (select 1 from json_each(w.event_types) t where t.value = e.type)
          on conflict do nothing`,
    args: [eventId],
  };
}
