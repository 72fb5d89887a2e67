import { createRoute, z } from "@hono/zod-openapi";
import { listMemberTouchpointsPage } from "../../db/queries/touchpoints";
import { memberAccess } from "../../domain/access";
import { ApiError } from "../../errors";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { MemberPathParams } from "../members/schemas";
import { TouchpointChannel, TouchpointDirection, TouchpointReason, TouchpointSchema, toTouchpoint } from "./schemas";

const TouchpointListQuery = ListQuerySchema.extend({
  channel: TouchpointChannel.optional(),
  reason: TouchpointReason.optional(),
  direction: TouchpointDirection.optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({
    example: "2026-11-01T00:00:00Z",
    description: "Only touchpoints that occurred at or after this instant (RFC 3339; included)",
  }),
  to: z.iso.datetime({ offset: true }).optional().openapi({
    example: "2026-12-01T00:00:00Z",
    description: "Only touchpoints that occurred at or before this instant (RFC 3339; included)",
  }),
}).strict();

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/touchpoints",
  operationId: "listTouchpoints",
  tags: ["Touchpoints"],
  summary: "List a member's touchpoints",
  description:
    "The member's contacts with the program, newest first by `occurred_at` (then by id), with cursor pagination, " +
    "narrowed by `channel`, `reason`, `direction` and the range [`from`, `to`] of `occurred_at` (both included). For partners with " +
    "an agreement on the program, whoever recorded them. An invalid filter answers 400 naming it.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: { params: MemberPathParams, query: TouchpointListQuery },
  responses: {
    200: {
      description: "A page of touchpoints",
      content: { "application/json": { schema: listOf(TouchpointSchema, "TouchpointList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListTouchpointsRequest = OperationRequest<typeof route>;
export type ListTouchpointsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const { channel, reason, direction, from, to, ...page } = c.req.valid("query");
    const range = {
      from: from === undefined ? undefined : new Date(from),
      to: to === undefined ? undefined : new Date(to),
    };
    if (range.from && range.to && range.from > range.to)
      throw new ApiError("validation_failed", "The range [from, to] is empty.", {
        errors: [{ path: "to", message: "must not be before from" }],
      });
    const { member } = await memberAccess(deps.reader, program_id, external_id, callerPartnerId(c), deps.clock.now());
    const result = await listMemberTouchpointsPage(
      deps.reader,
      member.id,
      { channel, reason, direction, ...range },
      page,
    );
    return c.json({ ...result, data: result.data.map((touchpoint) => toTouchpoint(touchpoint, member)) }, 200);
  });
