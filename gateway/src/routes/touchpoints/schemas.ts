import { z } from "@hono/zod-openapi";
import { touchpointChannels, touchpointDirections, touchpointReasons } from "../../db/queries/touchpoints";
import { type Touchpoint, touchpointBody } from "../../domain/touchpoints/touchpoint";

export const TouchpointChannel = z.enum(touchpointChannels).openapi("TouchpointChannel", {
  description: "How the contact happened",
  example: "call_center",
});
export const TouchpointReason = z.enum(touchpointReasons).openapi("TouchpointReason", {
  description: "What the contact was about",
  example: "question",
});
export const TouchpointDirection = z.enum(touchpointDirections).openapi("TouchpointDirection", {
  description: "`inbound`: the member reached the program; `outbound`: the program reached the member",
  example: "inbound",
});

export const TouchpointSchema = z
  .object({
    id: z.string().openapi({ example: "tpt_01jdz8a1b3c5d7f9h1k3m5p7r9" }),
    program_id: z.string(),
    member_id: z.string(),
    external_id: z.string().openapi({ example: "SK-4471-0092" }),
    channel: TouchpointChannel,
    reason: TouchpointReason,
    direction: TouchpointDirection,
    note: z.string().nullable().openapi({
      example: "Asked how to add a companion to an award ticket",
      description: "What was said, as recorded; null once the member is erased",
    }),
    rating: z
      .number()
      .int()
      .nullable()
      .openapi({ example: 5, description: "The member's rating of the contact, 1..5" }),
    agent: z
      .string()
      .nullable()
      .openapi({ example: "agent-0412", description: "Who handled it on the program's side" }),
    recorded_by: z.string().openapi({ description: "The partner that recorded it" }),
    occurred_at: z.iso.datetime().openapi({ description: "When the contact happened" }),
    created_at: z.iso.datetime().openapi({ description: "When it was recorded" }),
  })
  .openapi("Touchpoint");

/** A stored touchpoint as the API shows it. */
export const toTouchpoint = (touchpoint: Touchpoint, member: { externalId: string }) =>
  TouchpointSchema.parse(touchpointBody(touchpoint, member));
