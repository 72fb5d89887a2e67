import { singleDeliveryStatements } from "../db/queries/webhook-health";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { findEndpoint } from "./endpoints";

/**
 * Sends a `webhook_endpoint.test` event to one of the partner's endpoints, now, whatever the event types it
 * subscribes to: a signed delivery like any other (same headers, retries and delivery log), so a receiver can be
 * checked end to end. One atomic write of the event and its one delivery. A disabled endpoint is refused (409):
 * nothing is sent to it until it is enabled.
 */
export async function sendTestEvent(
  deps: Pick<Deps, "db" | "writer" | "clock" | "ids">,
  partnerId: string,
  endpointId: string,
): Promise<{ eventId: string; endpointId: string }> {
  const endpoint = await findEndpoint(deps, partnerId, endpointId);
  if (endpoint.status !== "enabled")
    throw new ApiError(
      "conflict",
      `The webhook endpoint ${endpointId} is disabled; enable it to send it a test event.`,
    );
  const event = {
    id: deps.ids("evt"),
    partnerId,
    type: "webhook_endpoint.test",
    data: { endpoint_id: endpoint.id, url: endpoint.url, message: "A test event; it needs no action." },
    at: deps.clock.now(),
  };
  await deps.writer.write(singleDeliveryStatements(event, endpoint.id));
  return { eventId: event.id, endpointId: endpoint.id };
}
