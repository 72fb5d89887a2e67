import { createRoute } from "@hono/zod-openapi";
import { campaignPerformance } from "../../domain/campaigns/performance";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { CampaignPerformanceSchema, toCampaignPerformance } from "../promotions/performance-schemas";
import { CampaignIdParam } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/campaigns/{id}/performance",
  operationId: "getCampaignPerformance",
  tags: ["Campaigns"],
  summary: "Get a campaign's performance",
  description:
    "The points its promotions awarded and their cost at the program's issue price; its targeted members (the " +
    "members of its segments now) and the responders among them (an earn from its actual start, else planned, to " +
    "its actual end, else planned, else now) against `expected_response_pct`; the spend its promotions added over " +
    "their control groups, and `roi` = (incremental spend - cost) / cost. For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: CampaignIdParam },
  responses: {
    200: {
      description: "The campaign's performance as of now",
      content: { "application/json": { schema: CampaignPerformanceSchema } },
    },
    ...errorResponses(401, 403, 404),
  },
});

export type GetCampaignPerformanceRequest = OperationRequest<typeof route>;
export type GetCampaignPerformanceResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const performance = await campaignPerformance(c.get("deps"), caller, c.req.valid("param").id);
    return c.json(toCampaignPerformance(performance), 200);
  });
