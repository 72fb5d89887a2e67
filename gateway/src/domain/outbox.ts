import type { SqlValue, Statement } from "../db/writer";

/** Event types of ../shared/API.md, and the gateway's own about holds and endpoints. */
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
 * The outbox insert for one event to one partner, written in the same batch as the movement. The payload
 * is the whole webhook body, `{ type, timestamp, data }`; `dataPatches` fill values known only at commit.
 * `onlyIf` (an SQL condition) writes the event only when it holds at commit.
 */
export function outboxInsert(
  event: OutboxEvent,
  dataPatches: readonly JsonPatch[] = [],
  onlyIf?: { sql: string; args: SqlValue[] },
): Statement {
  const template = JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data: event.data });
  const payload = patchedJson(
    template,
    dataPatches.map((patch) => ({ ...patch, path: patch.path.replace(/^\$/, "$.data") })),
  );
  const values = `?, ?, ?, ${payload.sql}, ?`;
  return {
    sql: `insert into events (id, partner_id, type, payload, created_at) ${onlyIf ? `select ${values} where ${onlyIf.sql}` : `values (${values})`}`,
    args: [event.id, event.partnerId, event.type, ...payload.args, event.at.getTime(), ...(onlyIf?.args ?? [])],
  };
}
