import { createRoute, z } from "@hono/zod-openapi";
import { segmentMembersCsv } from "../../domain/segments/membership";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { SegmentIdParam } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/segments/{id}/members.csv",
  operationId: "downloadSegmentMembers",
  tags: ["Segments"],
  summary: "Download a segment's members as CSV",
  description:
    "For campaign tools: `external_id,email,name,tier`, a row per member the segment holds now (a dynamic rule " +
    "evaluated at request time), newest first. RFC 4180 (CRLF, quoted where needed), UTF-8; cells that would start " +
    "a spreadsheet formula get a leading apostrophe.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: SegmentIdParam },
  responses: {
    200: { description: "The members", content: { "text/csv; charset=utf-8": { schema: z.string() } } },
    ...errorResponses(401, 403, 404),
  },
});

export type DownloadSegmentMembersRequest = OperationRequest<typeof route>;
export type DownloadSegmentMembersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { segment, csv } = await segmentMembersCsv(c.get("deps"), caller, c.req.valid("param").id);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${segment.id}-members.csv"`,
    });
  });
