import { createRoute } from "@hono/zod-openapi";
import { getCampaign } from "../../domain/campaigns/campaigns";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { CampaignIdParam, CampaignSchema, toCampaign } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/campaigns/{id}",
  operationId: "getCampaign",
  tags: ["Campaigns"],
  summary: "Get a campaign",
  description: "With the segments it targets and their member counts. For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: CampaignIdParam },
  responses: {
    200: { description: "The campaign", content: { "application/json": { schema: CampaignSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetCampaignRequest = OperationRequest<typeof route>;
export type GetCampaignResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toCampaign(await getCampaign(c.get("deps"), caller, c.req.valid("param").id)), 200);
  });
