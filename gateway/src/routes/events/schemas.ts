import { z } from "@hono/zod-openapi";
import { EventTypeSchema } from "../webhook-endpoints/schemas";

export const EventIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "evt_01jdz7d4f6h8k0m2p4r6t8v0x2" }),
});

export const EventSchema = z
  .object({
    id: z
      .string()
      .openapi({ example: "evt_01jdz7d4f6h8k0m2p4r6t8v0x2", description: "The `webhook-id` of its deliveries" }),
    type: EventTypeSchema,
    created_at: z.iso.datetime(),
    timestamp: z.iso.datetime().openapi({ description: "The webhook body's `timestamp`: when the movement happened" }),
    data: z.record(z.string(), z.unknown()).openapi({ description: "The `data` of the webhook body" }),
  })
  .openapi("Event");

export const toEvent = (row: { id: string; type: string; payload: string; createdAt: Date }) => {
  const body = JSON.parse(row.payload) as { timestamp: string; data: unknown };
  return EventSchema.parse({
    id: row.id,
    type: row.type,
    created_at: row.createdAt.toISOString(),
    timestamp: body.timestamp,
    data: body.data,
  });
};
