import { createRoute, z } from "@hono/zod-openapi";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { sendTestEvent } from "../../webhooks/test-event";
import { EndpointIdParam } from "./schemas";

const TestEventResult = z
  .object({
    event_id: z.string().openapi({ example: "evt_01jdz7d4f6h8k0m2p4r6t8v0x2", description: "The test event's id" }),
    endpoint_id: z.string(),
  })
  .openapi("WebhookTestResult");

export const route = createRoute({
  method: "post",
  path: "/v1/webhook-endpoints/{id}/test",
  operationId: "sendWebhookTestEvent",
  tags: ["Webhooks"],
  summary: "Send a test event",
  description:
    "Sends a signed `webhook_endpoint.test` event to this endpoint at once, whatever its event types (and to no " +
    "other endpoint). It is delivered, retried and logged like any event: its outcome is in the delivery log " +
    "(`GET /v1/webhook-endpoints/{id}/deliveries?event_id=...`). A disabled endpoint answers 409.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage"), idempotency({ required: false, atomic: false })] as const,
  request: { params: EndpointIdParam },
  responses: {
    202: { description: "Sent now", content: { "application/json": { schema: TestEventResult } } },
    ...errorResponses(401, 403, 404, 409, 422),
  },
});

export type SendWebhookTestEventRequest = OperationRequest<typeof route>;
export type SendWebhookTestEventResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const sent = await sendTestEvent(c.get("deps"), callerPartnerId(c), c.req.valid("param").id);
    return c.json({ event_id: sent.eventId, endpoint_id: sent.endpointId }, 202);
  });
