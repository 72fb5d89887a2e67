import { createRoute, z } from "@hono/zod-openapi";
import { createCampaign } from "../../domain/campaigns/campaigns";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../segments/schemas";
import { CampaignSchema, campaignFields, campaignOf, toCampaign } from "./schemas";

const CreateCampaignBody = z
  .object(campaignFields)
  .strict()
  .openapi("CreateCampaign", {
    example: {
      name: "Summer reactivation",
      type: "reactivation",
      owner: "CRM team",
      status: "planned",
      planned_start: "2026-06-01T00:00:00Z",
      planned_end: "2026-08-31T00:00:00Z",
      expected_response_pct: 12.5,
      estimated_revenue_minor: 2_500_000,
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/campaigns",
  operationId: "createCampaign",
  tags: ["Campaigns"],
  summary: "Create a campaign",
  description:
    "A campaign plans and groups promotions (give its id as a promotion's `campaign_id`) and names the segments it " +
    "targets, so GET /v1/campaigns/{id}/performance can count who responded. `segment_ids` must be segments of the " +
    "program (400 at `segment_ids[i]` otherwise), and an end cannot come before its start. For the program's owner " +
    "(`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: CreateCampaignBody } } },
  },
  responses: {
    201: { description: "The campaign", content: { "application/json": { schema: CampaignSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type CreateCampaignRequest = OperationRequest<typeof route>;
export type CreateCampaignResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const campaign = await createCampaign(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      {
        type: null,
        owner: null,
        plannedStart: null,
        plannedEnd: null,
        actualStart: null,
        actualEnd: null,
        expectedResponsePct: null,
        estimatedRevenueMinor: null,
        notes: null,
        segmentIds: [],
        ...campaignOf(body),
        name: body.name,
        status: body.status,
      },
    );
    return c.json(toCampaign(campaign), 201);
  });
