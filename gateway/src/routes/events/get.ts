import { createRoute } from "@hono/zod-openapi";
import { findPartnerEvent } from "../../db/queries/events";
import { ApiError } from "../../errors";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { EventIdParam, EventSchema, toEvent } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/events/{id}",
  operationId: "getEvent",
  tags: ["Events"],
  summary: "Get an event",
  description: "One of the calling partner's events; another partner's answers 404.",
  security: [{ bearerAuth: ["webhooks:manage"] }],
  middleware: [requireScope("webhooks:manage")] as const,
  request: { params: EventIdParam },
  responses: {
    200: { description: "The event", content: { "application/json": { schema: EventSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetEventRequest = OperationRequest<typeof route>;
export type GetEventResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const row = await findPartnerEvent(c.get("deps").db, callerPartnerId(c), id);
    if (!row) throw new ApiError("not_found", `No event ${id}.`);
    return c.json(toEvent(row), 200);
  });
