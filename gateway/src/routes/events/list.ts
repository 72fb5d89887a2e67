import { createRoute, z } from "@hono/zod-openapi";
import { eq, gte, lt } from "drizzle-orm";
import { both, pageBy } from "../../db/queries/pages";
import { events } from "../../db/schema";
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
  tags: ["Webhooks"],
  summary: "List events",
  description:
    "Every event sent to the calling partner, newest first, whether or not an endpoint received it; kept at least " +
    "30 days. Use it to catch up after an outage, deduplicating on `id` as for webhooks.",
  security: [{ bearerAuth: [] }],
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
    const query = c.req.valid("query");
    const page = pageBy(events.id, query);
    const rows = await c.var.deps.db
      .select()
      .from(events)
      .where(
        both(
          page.where,
          eq(events.partnerId, callerPartnerId(c)),
          query.type ? eq(events.type, query.type) : undefined,
          query.created_from ? gte(events.createdAt, new Date(query.created_from)) : undefined,
          query.created_to ? lt(events.createdAt, new Date(query.created_to)) : undefined,
        ),
      )
      .orderBy(page.orderBy)
      .limit(page.fetch);
    const result = page.page(rows);
    return c.json({ ...result, data: result.data.map(toEvent) }, 200);
  });
