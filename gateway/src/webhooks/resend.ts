import { first } from "../db/reader";
import type { Deps } from "../deps";
import { ApiError } from "../errors";

/**
 * Schedules an event again, now: to one endpoint of the partner (whatever its event types), or to every
 * enabled endpoint subscribed to the event's type. The retry schedule starts over; earlier attempts stay in
 * the log. One atomic write.
 */
export async function resendEvent(
  deps: Pick<Deps, "reader" | "writer" | "clock">,
  input: { partnerId: string; eventId: string; endpointId?: string },
): Promise<string[]> {
  const event = await first<{ type: string }>(deps.reader, "select type from events where id = ? and partner_id = ?", [
    input.eventId,
    input.partnerId,
  ]);
  if (!event) throw new ApiError("not_found", `No event ${input.eventId}.`);
  const endpoints = await deps.reader.all<{ id: string }>(
    input.endpointId
      ? `select id from webhook_endpoints where id = ? and partner_id = ? and deleted_at is null`
      : `select id from webhook_endpoints w where partner_id = ? and status = 'enabled' and deleted_at is null
           and exists (select 1 from json_each(w.event_types) t where t.value = ?)`,
    input.endpointId ? [input.endpointId, input.partnerId] : [input.partnerId, event.type],
  );
  if (input.endpointId && endpoints.length === 0)
    throw new ApiError("not_found", `No webhook endpoint ${input.endpointId}.`);
  const now = deps.clock.now().getTime();
  if (endpoints.length > 0)
    await deps.writer.write(
      endpoints.map((endpoint) => ({
        sql: `insert into webhook_deliveries (event_id, endpoint_id, partner_id, status, attempts, next_attempt_at, created_at)
              values (?, ?, ?, 'pending', 0, ?, ?)
              on conflict (event_id, endpoint_id) do update set status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at`,
        args: [input.eventId, endpoint.id, input.partnerId, now, now],
      })),
    );
  return endpoints.map((endpoint) => endpoint.id);
}
