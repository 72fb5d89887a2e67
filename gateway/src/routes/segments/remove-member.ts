import { createRoute, z } from "@hono/zod-openapi";
import { removeListMember } from "../../domain/segments/membership";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ExternalId } from "../members/schemas";
import { SegmentSchema, toSegment } from "./schemas";

export const route = createRoute({
  method: "delete",
  path: "/v1/segments/{id}/members/{external_id}",
  operationId: "removeSegmentMember",
  tags: ["Segments"],
  summary: "Take a member off a static segment",
  description: "404 when the member is not on it; 409 `invalid_state` for a dynamic segment. Answers the segment.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: z.object({
      id: z.string().openapi({ param: { name: "id", in: "path" }, example: "seg_01jdz5k2m4n6p8r0t2v4x6z8b0" }),
      external_id: ExternalId.openapi({ param: { name: "external_id", in: "path" } }),
    }),
  },
  responses: {
    200: { description: "The segment as it is now", content: { "application/json": { schema: SegmentSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export type RemoveSegmentMemberRequest = OperationRequest<typeof route>;
export type RemoveSegmentMemberResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { id, external_id } = c.req.valid("param");
    return c.json(toSegment(await removeListMember(c.get("deps"), caller, id, external_id)), 200);
  });
