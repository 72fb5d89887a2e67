import { resendDeliveryStatement } from "../db/queries/deliveries";
import { findPartnerEventType } from "../db/queries/events";
import { listResendEndpointIds } from "../db/queries/webhook-endpoints";
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
  const eventType = await findPartnerEventType(deps.reader, input.partnerId, input.eventId);
  if (!eventType) throw new ApiError("not_found", `No event ${input.eventId}.`);
  const endpointIds = await listResendEndpointIds(
    deps.reader,
    input.partnerId,
    input.endpointId ? { endpointId: input.endpointId } : { eventType },
  );
  if (input.endpointId && endpointIds.length === 0)
    throw new ApiError("not_found", `No webhook endpoint ${input.endpointId}.`);
  const now = deps.clock.now();
  if (endpointIds.length > 0)
    await deps.writer.write(
      endpointIds.map((endpointId) =>
        resendDeliveryStatement({ eventId: input.eventId, endpointId, partnerId: input.partnerId }, now),
      ),
    );
  return endpointIds;
}
