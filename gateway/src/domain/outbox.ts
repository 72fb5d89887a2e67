import type { SqlValue, Statement } from "../db/writer";

/** Event types of ../shared/API.md. */
export type EventType =
  | "member.enrolled"
  | "points.earned"
  | "points.burned"
  | "points.reversed"
  | "points.expired"
  | "points.held"
  | "points.released"
  | "conversion.completed"
  | "conversion.held"
  | "conversion.rejected"
  | "settlement.statement_ready";

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
 */
export function outboxInsert(event: OutboxEvent, dataPatches: readonly JsonPatch[] = []): Statement {
  const template = JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data: event.data });
  const payload = patchedJson(
    template,
    dataPatches.map((patch) => ({ ...patch, path: patch.path.replace(/^\$/, "$.data") })),
  );
  return {
    sql: `insert into events (id, partner_id, type, payload, created_at) values (?, ?, ?, ${payload.sql}, ?)`,
    args: [event.id, event.partnerId, event.type, ...payload.args, event.at.getTime()],
  };
}
