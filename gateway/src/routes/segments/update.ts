import { createRoute, z } from "@hono/zod-openapi";
import { updateSegment } from "../../domain/segments/segments";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { RuleSchema, SegmentIdParam, SegmentSchema, segmentFields, toSegment } from "./schemas";

const UpdateSegmentBody = z
  .object({
    name: segmentFields.name.optional(),
    description: segmentFields.description,
    rule: RuleSchema.optional().openapi({ description: "A dynamic segment's new rule (recounted at once)" }),
  })
  .strict()
  .openapi("UpdateSegment");

export const route = createRoute({
  method: "patch",
  path: "/v1/segments/{id}",
  operationId: "updateSegment",
  tags: ["Segments"],
  summary: "Update a segment",
  description:
    "Its name, description or (dynamic) rule; a new rule is checked like a new segment's, refused if it would make " +
    "a cycle through other segments, and recounted in the same write. A segment's type never changes.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: SegmentIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateSegmentBody } } },
  },
  responses: {
    200: { description: "The segment as it is now", content: { "application/json": { schema: SegmentSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type UpdateSegmentRequest = OperationRequest<typeof route>;
export type UpdateSegmentResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const segment = await updateSegment(c.get("deps"), caller, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toSegment(segment), 200);
  });
