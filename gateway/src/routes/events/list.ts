import { createRoute, z } from "@hono/zod-openapi";
import { listEventsPage } from "../../db/queries/events";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { EventTypeSchema } from "../webhook-endpoints/schemas";
import { EventSchema, toEvent } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/events",
  operationId: "listEvents",
  tags: ["Events"],
  summary: "List events",
  description:
    "Every event sent to the calling partner, newest first, whether or not an endpoint received it; kept at least " +
    "30 days. Use it to catch up after an outage, deduplicating on `id` as for webhooks.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage")] as const,
  request: {
    query: ListQuerySchema.extend({
      type: EventTypeSchema.optional(),
      created_from: z.iso.datetime({ offset: true }).optional(),
      created_to: z.iso.datetime({ offset: true }).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of events",
      content: { "application/json": { schema: listOf(EventSchema, "EventList") } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export type ListEventsRequest = OperationRequest<typeof route>;
export type ListEventsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const result = await listEventsPage(c.get("deps").db, callerPartnerId(c), c.req.valid("query"));
    return c.json({ ...result, data: result.data.map(toEvent) }, 200);
  });
