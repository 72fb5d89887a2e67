import { createRoute } from "@hono/zod-openapi";
import type { Deps } from "../../deps";
import { type MemberAccess, memberAccess } from "../../domain/access";
import { memberDetails } from "../../domain/members";
import { callerPartnerId, confirmStanding, requireScopeOnHotRoute } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams, MemberSchema, toMember } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/members/{external_id}",
  operationId: "getMember",
  tags: ["Members"],
  summary: "Get a member and its balance",
  description: "Available and pending points, lifetime earned, and the points that will expire, soonest first.",
  security: [{ bearerAuth: ["members:read"] }],
  middleware: [requireScopeOnHotRoute("members:read")] as const,
  request: { params: MemberPathParams },
  responses: {
    200: { description: "The member", content: { "application/json": { schema: MemberSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetMemberRequest = OperationRequest<typeof route>;
export type GetMemberResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const { program_id, external_id } = c.req.valid("param");
    const access = await readMember(deps, program_id, external_id, callerPartnerId(c));
    await confirmStanding(c, access.termsEpoch);
    return c.json(await memberAnswer(deps, access), 200);
  });

/**
 * The member a partner asked for, with the terms epoch its read saw (to confirm the caller's standing against). The
 * member's cards and scores, which the answer shows, come in the statement that reads the member. Also the hot read
 * of node-listener.ts.
 */
export const readMember = (deps: Deps, programId: string, externalId: string, partnerId: string) =>
  memberAccess(deps.reader, programId, externalId, partnerId, deps.clock.now(), undefined, true);

/** The answer's body for a member read by `readMember`. */
export const memberAnswer = async (deps: Deps, access: MemberAccess) =>
  toMember(access.member, await memberDetails(deps, access));
