import { createRoute, z } from "@hono/zod-openapi";
import { memberSummaries } from "../../domain/members";
import { previewSegment } from "../../domain/segments/segments";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberSummarySchema, toMemberSummary } from "../members/schemas";
import { RuleSchema } from "./schemas";

const PreviewBody = z
  .object({ program_id: z.string().min(1).max(64), rule: RuleSchema })
  .strict()
  .openapi("PreviewSegment");

const PreviewSchema = z
  .object({
    member_count: z.number().int(),
    sample: z.array(MemberSummarySchema).openapi({ description: "Up to 10 of them, newest first" }),
  })
  .openapi("SegmentPreview");

export const route = createRoute({
  method: "post",
  path: "/v1/segments/preview",
  operationId: "previewSegment",
  tags: ["Segments"],
  summary: "Try a rule",
  description:
    "How many of the program's members a rule selects now, with a sample; writes nothing. The rule is checked as " +
    "when a segment is created (400 at the rule's JSON path). For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: PreviewBody } } } },
  responses: {
    200: { description: "What the rule selects", content: { "application/json": { schema: PreviewSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type PreviewSegmentRequest = OperationRequest<typeof route>;
export type PreviewSegmentResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const body = c.req.valid("json");
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { program, memberCount, sample } = await previewSegment(deps, caller, body.program_id, body.rule);
    const summaries = await memberSummaries(deps, program, sample);
    return c.json({ member_count: memberCount, sample: summaries.map((summary) => toMemberSummary(...summary)) }, 200);
  });
