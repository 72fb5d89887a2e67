import { createRoute, z } from "@hono/zod-openapi";
import { memberDetails } from "../../domain/members";
import { setManualTier } from "../../domain/tiers/manual";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { MemberPathParams, MemberSchema, toMember } from "../members/schemas";
import { TierKey } from "./schemas";

const ManualTierBody = z
  .object({
    tier_key: TierKey,
    held_until: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "Keeps at least this tier until then (default: the qualification window from now)" }),
    reason: z.string().trim().min(1).max(500).openapi({ example: "status match: Gold at another airline" }),
  })
  .strict()
  .openapi("ManualTier");

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/members/{external_id}/tier",
  operationId: "setMemberTier",
  tags: ["Tiers"],
  summary: "Set a member's tier by hand",
  description:
    "A manual tier (a status match): the member keeps at least this tier until `held_until`, after which the daily " +
    "re-evaluation places it by its activity. Pays no upgrade bonus. Kept in the member's tier history with the " +
    "`reason` and your credential; a move sends `member.tier_changed` (reason `manual`). 409 `invalid_state` " +
    "while the program has no tiers. For the program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: MemberPathParams,
    body: { required: true, content: { "application/json": { schema: ManualTierBody } } },
  },
  responses: {
    200: { description: "The member, in its new tier", content: { "application/json": { schema: MemberSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type SetMemberTierRequest = OperationRequest<typeof route>;
export type SetMemberTierResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { deps, principal } = c.var;
    if (!principal) throw new Error("manual tiers run after authentication");
    const { program_id, external_id } = c.req.valid("param");
    const body = c.req.valid("json");
    const access = await setManualTier(deps, {
      caller: { partnerId: principal.partnerId ?? null },
      actor: principal.clientId,
      programId: program_id,
      externalId: external_id,
      tierKey: body.tier_key,
      heldUntil: body.held_until === undefined ? undefined : new Date(body.held_until),
      reason: body.reason,
    });
    return c.json(toMember(access.member, await memberDetails(deps, access)), 200);
  });
