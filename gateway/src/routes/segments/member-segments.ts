import { createRoute, z } from "@hono/zod-openapi";
import { memberSegments } from "../../domain/segments/membership";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams } from "../members/schemas";
import { SegmentSchema, toSegment } from "./schemas";

const MemberSegmentsSchema = z
  .object({ object: z.literal("list"), data: z.array(SegmentSchema), has_more: z.literal(false) })
  .openapi("MemberSegmentList");

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/segments",
  operationId: "listMemberSegments",
  tags: ["Segments"],
  summary: "The segments a member is in now",
  description:
    "Static lists holding the member, and dynamic segments whose rule the member meets now (evaluated for this " +
    "member alone, in one query, never scanning the program), oldest segment first. For the program's owner and " +
    "the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: MemberPathParams },
  responses: {
    200: { description: "Its segments", content: { "application/json": { schema: MemberSegmentsSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListMemberSegmentsRequest = OperationRequest<typeof route>;
export type ListMemberSegmentsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { program_id, external_id } = c.req.valid("param");
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const found = await memberSegments(c.get("deps"), caller, program_id, external_id);
    return c.json({ object: "list" as const, data: found.map(toSegment), has_more: false as const }, 200);
  });
