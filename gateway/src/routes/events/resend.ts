import { createRoute, z } from "@hono/zod-openapi";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { resendEvent } from "../../webhooks/resend";
import { EventIdParam } from "./schemas";

const ResendBody = z
  .object({
    endpoint_id: z
      .string()
      .optional()
      .openapi({ description: "Only to this endpoint (whatever its event types). Default: every subscribed endpoint" }),
  })
  .strict()
  .openapi("ResendEvent");

const ResendResult = z
  .object({
    event_id: z.string(),
    endpoint_ids: z.array(z.string()).openapi({ description: "The endpoints the event is now due to, at once" }),
  })
  .openapi("ResendResult");

export const route = createRoute({
  method: "post",
  path: "/v1/events/{id}/resend",
  operationId: "resendEvent",
  tags: ["Events"],
  summary: "Resend an event",
  description:
    "Delivers the event again right away, with the same `webhook-id`; the retry schedule starts over. For a receiver " +
    "that lost it or was fixed after the retries ran out.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage"), idempotency({ required: false, atomic: false })] as const,
  request: {
    params: EventIdParam,
    body: { required: false, content: { "application/json": { schema: ResendBody } } },
  },
  responses: {
    202: { description: "Scheduled", content: { "application/json": { schema: ResendResult } } },
    ...errorResponses(400, 401, 403, 404, 415, 422),
  },
});

export type ResendEventRequest = OperationRequest<typeof route>;
export type ResendEventResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json") as z.infer<typeof ResendBody> | undefined;
    const eventId = c.req.valid("param").id;
    const endpointIds = await resendEvent(c.get("deps"), {
      partnerId: callerPartnerId(c),
      eventId,
      endpointId: body?.endpoint_id,
    });
    return c.json({ event_id: eventId, endpoint_ids: endpointIds }, 202);
  });
