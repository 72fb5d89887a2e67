import { createRoute } from "@hono/zod-openapi";
import { memberAccess } from "../../domain/access";
import { listMemberRedemptions } from "../../domain/redemptions/find";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema } from "../../http/pagination";
import { MemberPathParams } from "../members/schemas";
import { RedemptionListSchema, toRedemption } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}/redemptions",
  operationId: "listMemberRedemptions",
  tags: ["Redemptions"],
  summary: "List a member's redemptions",
  description:
    "The member's orders in the program, whoever placed them, newest first, with cursor pagination. For partners " +
    "with an agreement in the program.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScope("members:read")] as const,
  request: { params: MemberPathParams, query: ListQuerySchema.strict() },
  responses: {
    200: {
      description: "A page of the member's redemptions",
      content: { "application/json": { schema: RedemptionListSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListMemberRedemptionsRequest = OperationRequest<typeof route>;
export type ListMemberRedemptionsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const { member } = await memberAccess(deps.reader, program_id, external_id, callerPartnerId(c), deps.clock.now());
    const result = await listMemberRedemptions(deps, member.id, c.req.valid("query"));
    return c.json({ ...result, data: result.data.map(toRedemption) }, 200);
  });
