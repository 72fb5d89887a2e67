import { createRoute, z } from "@hono/zod-openapi";
import { updateCampaign } from "../../domain/campaigns/campaigns";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { CampaignIdParam, CampaignSchema, campaignFields, campaignOf, toCampaign } from "./schemas";

const UpdateCampaignBody = z
  .object(campaignFields)
  .partial()
  .strict()
  .openapi("UpdateCampaign", {
    description: "Only the fields sent change; null clears one; `segment_ids` replaces the whole list.",
    example: { status: "active", actual_start: "2026-06-03T09:00:00Z" },
  });

export const route = createRoute({
  method: "patch",
  path: "/v1/campaigns/{id}",
  operationId: "updateCampaign",
  tags: ["Campaigns"],
  summary: "Update a campaign",
  description:
    "Any field, checked as it will be (an end before its start, a segment of another program: 400 at its path, " +
    "nothing written). Its promotions are unaffected. For the program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: CampaignIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateCampaignBody } } },
  },
  responses: {
    200: { description: "The campaign as it is now", content: { "application/json": { schema: CampaignSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type UpdateCampaignRequest = OperationRequest<typeof route>;
export type UpdateCampaignResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const campaign = await updateCampaign(
      c.get("deps"),
      caller,
      c.req.valid("param").id,
      campaignOf(c.req.valid("json")),
    );
    return c.json(toCampaign(campaign), 200);
  });
