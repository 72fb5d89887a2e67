import { createRoute } from "@hono/zod-openapi";
import { listMemberActivitiesPage } from "../../db/queries/activities";
import { memberAccess } from "../../domain/access";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { MemberPathParams } from "../members/schemas";
import { ActivitySchema, toActivity } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/activities",
  operationId: "listMemberActivities",
  tags: ["Activities"],
  summary: "List a member's activities",
  description:
    "The activities recorded for the member (`POST /v1/activities`), newest first, with cursor pagination. What " +
    "each paid is among the member's transactions: bonuses with `reference` the activity's id.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: { params: MemberPathParams, query: ListQuerySchema },
  responses: {
    200: {
      description: "A page of activities",
      content: { "application/json": { schema: listOf(ActivitySchema, "ActivityList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListMemberActivitiesRequest = OperationRequest<typeof route>;
export type ListMemberActivitiesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const { member } = await memberAccess(deps.reader, program_id, external_id, callerPartnerId(c), deps.clock.now());
    const page = await listMemberActivitiesPage(deps.db, member.id, c.req.valid("query"));
    return c.json({ ...page, data: page.data.map((activity) => toActivity(activity, member.externalId)) }, 200);
  });
