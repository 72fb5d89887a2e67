import { createRoute, z } from "@hono/zod-openapi";
import { programAccess } from "../../domain/access";
import { listMembers } from "../../domain/members";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { MemberPathParams, MemberSummarySchema, toMemberSummary } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members",
  operationId: "listMembers",
  tags: ["Members"],
  summary: "List and search members",
  description:
    "The program's members, newest first, with cursor pagination; each with its profile (GET the member for its " +
    "balance and cards). `q` matches the start of the external id, or any part of the email or name, ignoring " +
    "case; `tier` keeps the members holding that tier. Unknown query parameters are refused (400), so a filter this version does not know is never ignored.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: {
    params: MemberPathParams.pick({ program_id: true }),
    query: ListQuerySchema.extend({
      q: z.string().trim().min(1).max(100).optional().openapi({ example: "ana", description: "Search text" }),
      tier: z
        .string()
        .min(1)
        .max(40)
        .optional()
        .openapi({ example: "gold", description: "Only the members holding this tier key" }),
    }).strict(),
  },
  responses: {
    200: {
      description: "A page of members",
      content: { "application/json": { schema: listOf(MemberSummarySchema, "MemberList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListMembersRequest = OperationRequest<typeof route>;
export type ListMembersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program } = await programAccess(
      deps.reader,
      c.req.valid("param").program_id,
      callerPartnerId(c),
      deps.clock.now(),
    );
    const { page, summaries } = await listMembers(deps, program, c.req.valid("query"));
    return c.json({ ...page, data: summaries.map((summary) => toMemberSummary(...summary)) }, 200);
  });
