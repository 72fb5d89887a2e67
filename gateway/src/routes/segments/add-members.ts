import { createRoute, z } from "@hono/zod-openapi";
import { addListMembers, maxListAdditions } from "../../domain/segments/membership";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ExternalId } from "../members/schemas";
import { SegmentIdParam } from "./schemas";

const AddMembersBody = z
  .object({ external_ids: z.array(ExternalId).min(1).max(maxListAdditions) })
  .strict()
  .openapi("AddSegmentMembers", { example: { external_ids: ["SK-4471-0092", "SK-4471-0107"] } });

const AddedMembersSchema = z
  .object({
    added: z.number().int().openapi({ description: "Members newly in the list" }),
    already: z.number().int().openapi({ description: "Members that were in it already" }),
    unknown: z.array(z.string()).openapi({ description: "External ids that are no member of the program, as sent" }),
  })
  .openapi("AddedSegmentMembers");

export const route = createRoute({
  method: "post",
  path: "/v1/segments/{id}/members",
  operationId: "addSegmentMembers",
  tags: ["Segments"],
  summary: "Add members to a static segment",
  description:
    `Up to ${maxListAdditions.toLocaleString("en")} external ids in one atomic write; a repeated id counts once. ` +
    "External ids that are no member of the program are listed back in `unknown` and the rest are added. 409 " +
    "`invalid_state` for a dynamic segment (its rule decides).",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: SegmentIdParam,
    body: { required: true, content: { "application/json": { schema: AddMembersBody } } },
  },
  responses: {
    200: { description: "What was added", content: { "application/json": { schema: AddedMembersSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type AddSegmentMembersRequest = OperationRequest<typeof route>;
export type AddSegmentMembersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const { external_ids } = c.req.valid("json");
    return c.json(await addListMembers(c.get("deps"), caller, c.req.valid("param").id, external_ids), 200);
  });
