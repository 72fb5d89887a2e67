import { createRoute, z } from "@hono/zod-openapi";
import { deleteSegment } from "../../domain/segments/segments";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { SegmentIdParam } from "./schemas";

const DeletedSegmentSchema = z
  .object({ id: z.string(), object: z.literal("segment"), deleted: z.literal(true) })
  .openapi("DeletedSegment");

export const route = createRoute({
  method: "delete",
  path: "/v1/segments/{id}",
  operationId: "deleteSegment",
  tags: ["Segments"],
  summary: "Delete a segment",
  description:
    "Deletes the segment and its list of members (the members stay). 409 `conflict` while another segment's rule " +
    "references it or a campaign targets it, naming those segments and campaigns.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: SegmentIdParam },
  responses: {
    200: { description: "Deleted", content: { "application/json": { schema: DeletedSegmentSchema } } },
    ...errorResponses(401, 403, 404, 409),
  },
});

export type DeleteSegmentRequest = OperationRequest<typeof route>;
export type DeleteSegmentResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const segment = await deleteSegment(c.get("deps"), caller, c.req.valid("param").id);
    return c.json({ id: segment.id, object: "segment" as const, deleted: true as const }, 200);
  });
