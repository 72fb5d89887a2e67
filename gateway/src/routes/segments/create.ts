import { createRoute, z } from "@hono/zod-openapi";
import { createSegment } from "../../domain/segments/segments";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam, RuleSchema, SegmentSchema, segmentFields, toSegment } from "./schemas";

const CreateSegmentBody = z
  .object({
    ...segmentFields,
    type: z.enum(["dynamic", "static"]),
    rule: RuleSchema.nullable().optional().openapi({ description: "Required for dynamic, absent for static" }),
  })
  .strict()
  .openapi("CreateSegment", {
    example: {
      name: "Lapsed brand X fans",
      type: "dynamic",
      rule: {
        all: [
          { field: "days_since_last_earn", op: "gt", value: 180 },
          { field: "attributes.favourite_brand", op: "eq", value: "brand-x" },
        ],
      },
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/segments",
  operationId: "createSegment",
  tags: ["Segments"],
  summary: "Create a segment",
  description:
    "A dynamic segment (members matching `rule`, evaluated whenever asked; counted now and daily) or a static one " +
    "(a marketing list: add members with POST /v1/segments/{id}/members). Every problem of a rule is answered at its " +
    "JSON path. For the program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: CreateSegmentBody } } },
  },
  responses: {
    201: { description: "The segment, counted", content: { "application/json": { schema: SegmentSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type CreateSegmentRequest = OperationRequest<typeof route>;
export type CreateSegmentResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const segment = await createSegment(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      { name: body.name, description: body.description ?? null, type: body.type, rule: body.rule },
    );
    return c.json(toSegment(segment), 201);
  });
