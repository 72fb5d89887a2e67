import { createRoute } from "@hono/zod-openapi";
import { exportMember } from "../../domain/privacy/export";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberExportSchema, toMemberExport } from "./export-schema";
import { MemberPathParams } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/export",
  operationId: "exportMember",
  tags: ["Members"],
  summary: "Export all of a member's data",
  description:
    "Everything the gateway holds about the member, as one JSON document (a data subject's access request): the " +
    "member with its balance, cards, tier and RFM scores, and every record of it: transactions, orders, transfers " +
    "and conversions on either side, tier changes, segments, promotion exposures and challenge progress, " +
    "activities, referrals, touchpoints, hosted page sessions, fraud decisions and the owner's events about it. " +
    "An erased member's export shows what the erase left. Sent as an attachment named after the member. For the " +
    "program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["programs:manage"] }, { bearerAuth: ["operator"] }],
  middleware: [requireScope("programs:manage", "operator")] as const,
  request: { params: MemberPathParams },
  responses: {
    200: {
      description: "The member's data",
      headers: {
        "Content-Disposition": {
          schema: { type: "string", example: 'attachment; filename="member-SK-4471-0092.json"' },
        },
      },
      content: { "application/json": { schema: MemberExportSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ExportMemberRequest = OperationRequest<typeof route>;
export type ExportMemberResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { program_id, external_id } = c.req.valid("param");
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const found = await exportMember(c.get("deps"), caller, program_id, external_id);
    // External ids are letters, digits and . _ : @ + - (the path's schema), all safe in a quoted file name.
    c.header("Content-Disposition", `attachment; filename="member-${external_id}.json"`);
    return c.json(toMemberExport(found), 200);
  });
