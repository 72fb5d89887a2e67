import { z } from "@hono/zod-openapi";
import { eventTypes } from "../../domain/outbox";
import { webhookBodies } from "./payloads";

export const EventIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "evt_01jdz7d4f6h8k0m2p4r6t8v0x2" }),
});

const eventFields = {
  id: z
    .string()
    .openapi({ example: "evt_01jdz7d4f6h8k0m2p4r6t8v0x2", description: "The `webhook-id` of its deliveries" }),
  created_at: z.iso.datetime(),
};

const eventOf = (type: (typeof eventTypes)[number]) => webhookBodies[type].extend(eventFields);
const [firstType, ...otherTypes] = eventTypes;

/**
 * An event as `/v1/events` lists it: its webhook body (`type`, `timestamp`, `data` typed by `type`) with its id
 * and when it was recorded.
 */
export const EventSchema = z
  .discriminatedUnion("type", [eventOf(firstType), ...otherTypes.map(eventOf)])
  .openapi("Event");

/**
 * The stored event as the API shows it. Its payload was written from the same schemas when the event was
 * recorded, so it is returned as stored, not parsed again: an event recorded before a field was added still
 * reads.
 */
export const toEvent = (row: { id: string; type: string; payload: string; createdAt: Date }) => {
  const body = JSON.parse(row.payload) as { timestamp: string; data: unknown };
  return {
    id: row.id,
    type: row.type,
    created_at: row.createdAt.toISOString(),
    timestamp: body.timestamp,
    data: body.data,
  } as z.input<typeof EventSchema>;
};
