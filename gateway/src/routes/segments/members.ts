import { createRoute } from "@hono/zod-openapi";
import { memberSummaries } from "../../domain/members";
import { segmentMembersPage } from "../../domain/segments/membership";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { MemberSummarySchema, toMemberSummary } from "../members/schemas";
import { SegmentIdParam } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/segments/{id}/members",
  operationId: "listSegmentMembers",
  tags: ["Segments"],
  summary: "List a segment's members",
  description:
    "The members the segment holds now (a dynamic rule evaluated at request time; only `member_count` lags), " +
    "newest first, with cursor pagination.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: SegmentIdParam, query: ListQuerySchema.strict() },
  responses: {
    200: {
      description: "A page of members",
      content: { "application/json": { schema: listOf(MemberSummarySchema, "SegmentMemberList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListSegmentMembersRequest = OperationRequest<typeof route>;
export type ListSegmentMembersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { program, page } = await segmentMembersPage(deps, caller, c.req.valid("param").id, c.req.valid("query"));
    const summaries = await memberSummaries(deps, program, page.data);
    return c.json({ ...page, data: summaries.map((summary) => toMemberSummary(...summary)) }, 200);
  });
