import { createRoute, z } from "@hono/zod-openapi";
import { listAttemptsPage } from "../../db/queries/webhook-attempts";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { findEndpoint } from "../../webhooks/endpoints";
import { EndpointIdParam, EventTypeSchema } from "./schemas";

const DeliveryAttemptSchema = z
  .object({
    id: z.string().openapi({ example: "wha_01jdz7c3e5g7j9l1n3q5s7u9w1" }),
    endpoint_id: z.string(),
    event_id: z.string().openapi({ description: "The `webhook-id` the receiver saw" }),
    event_type: EventTypeSchema,
    attempt: z.number().int().openapi({ description: "1 for the first attempt, counted again from 1 after a resend" }),
    outcome: z.enum(["succeeded", "failed"]),
    response_status: z.number().int().nullable().openapi({ description: "null when no answer came" }),
    response_excerpt: z.string().nullable().openapi({ description: "The first 1,000 characters of the answer" }),
    error: z.string().nullable().openapi({ description: "Why no answer came: timeout, refused target, network" }),
    duration_ms: z.number().int(),
    attempted_at: z.iso.datetime(),
  })
  .openapi("DeliveryAttempt");

export const route = createRoute({
  method: "get",
  path: "/v1/webhook-endpoints/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  tags: ["Webhooks"],
  summary: "List an endpoint's delivery attempts",
  description: "The delivery log: every attempt to this endpoint, newest first, with what the receiver answered.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage")] as const,
  request: {
    params: EndpointIdParam,
    query: ListQuerySchema.extend({
      event_id: z.string().optional(),
      outcome: z.enum(["succeeded", "failed"]).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of attempts",
      content: { "application/json": { schema: listOf(DeliveryAttemptSchema, "DeliveryAttemptList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListWebhookDeliveriesRequest = OperationRequest<typeof route>;
export type ListWebhookDeliveriesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const endpoint = await findEndpoint(deps, callerPartnerId(c), c.req.valid("param").id);
    const result = await listAttemptsPage(deps.db, endpoint.id, c.req.valid("query"));
    return c.json(
      {
        ...result,
        data: result.data.map(({ attempt, eventType }) =>
          DeliveryAttemptSchema.parse({
            id: attempt.id,
            endpoint_id: attempt.endpointId,
            event_id: attempt.eventId,
            event_type: eventType,
            attempt: attempt.attempt,
            outcome: attempt.outcome,
            response_status: attempt.responseStatus,
            response_excerpt: attempt.responseExcerpt,
            error: attempt.error,
            duration_ms: attempt.durationMs,
            attempted_at: attempt.attemptedAt.toISOString(),
          }),
        ),
      },
      200,
    );
  });
