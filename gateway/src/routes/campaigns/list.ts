import { createRoute } from "@hono/zod-openapi";
import { listCampaigns } from "../../domain/campaigns/campaigns";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { ProgramIdPathParam } from "../segments/schemas";
import { CampaignSchema, toCampaign } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/campaigns",
  operationId: "listCampaigns",
  tags: ["Campaigns"],
  summary: "List a program's campaigns",
  description:
    "Newest first, with cursor pagination, each with its segments. For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam, query: ListQuerySchema.strict() },
  responses: {
    200: {
      description: "A page of campaigns",
      content: { "application/json": { schema: listOf(CampaignSchema, "CampaignList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListCampaignsRequest = OperationRequest<typeof route>;
export type ListCampaignsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const page = await listCampaigns(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      c.req.valid("query"),
    );
    return c.json({ ...page, data: page.data.map(toCampaign) }, 200);
  });
