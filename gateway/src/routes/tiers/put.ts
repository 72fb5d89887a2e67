import { createRoute } from "@hono/zod-openapi";
import { putTierTable } from "../../domain/tiers/table";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam, TierTableInputSchema, TierTableSchema, toTierTable } from "./schemas";

export const route = createRoute({
  method: "put",
  path: "/v1/programs/{program_id}/tiers",
  operationId: "putTiers",
  tags: ["Tiers"],
  summary: "Set a program's tier table",
  description:
    "Replaces the program's tiers, lowest first: the first is the entry tier (no minimum), every other has at least " +
    "one of `min_points`, `min_purchases`, `min_spend_minor` over the trailing `qualification_window_days`; a member " +
    "is in the highest tier any one of whose minimums it meets. Members are re-placed in the same write (a tier " +
    "still held is kept if it is still in the table), with `member.tier_changed` events; their history stays. An " +
    "empty list removes the tiers. For the program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: TierTableInputSchema } } },
  },
  responses: {
    200: { description: "The tier table as it is now", content: { "application/json": { schema: TierTableSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type PutTiersRequest = OperationRequest<typeof route>;
export type PutTiersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const view = await putTierTable(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      {
        windowDays: body.qualification_window_days,
        tiers: body.tiers.map((tier) => ({
          key: tier.key,
          name: tier.name,
          minPoints: tier.min_points ?? null,
          minPurchases: tier.min_purchases ?? null,
          minSpendMinor: tier.min_spend_minor ?? null,
          earnBonusBps: tier.earn_bonus_bps,
          upgradeBonusPoints: tier.upgrade_bonus_points,
        })),
      },
    );
    return c.json(toTierTable(view), 200);
  });
