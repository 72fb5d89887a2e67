import { createRoute, z } from "@hono/zod-openapi";
import { listPromotions } from "../../domain/promotions/promotions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ListQuerySchema, listOf } from "../../http/pagination";
import { ProgramIdPathParam } from "../segments/schemas";
import { definitionFields, PromotionSchema, reference, toPromotion } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/promotions",
  operationId: "listPromotions",
  tags: ["Promotions"],
  summary: "List a program's promotions",
  description:
    "Newest first, with cursor pagination, narrowed by `status`, `trigger` and `campaign_id`. The program's owner " +
    "and the operator see every promotion; a partner with an agreement in the program sees only the active ones " +
    "(what its members may earn there), whatever `status` it asks for.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("operator", "programs:manage", "members:read")] as const,
  request: {
    params: ProgramIdPathParam,
    query: ListQuerySchema.extend({
      status: z.enum(["draft", "active", "paused", "ended"]).optional(),
      trigger: definitionFields.trigger.optional(),
      campaign_id: reference(64).optional().openapi({ description: "Only the promotions of this campaign" }),
    }).strict(),
  },
  responses: {
    200: {
      description: "A page of promotions",
      content: { "application/json": { schema: listOf(PromotionSchema, "PromotionList") } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type ListPromotionsRequest = OperationRequest<typeof route>;
export type ListPromotionsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { status, trigger, campaign_id: campaignId, ...page } = c.req.valid("query");
    const found = await listPromotions(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      { status, trigger, campaignId },
      page,
    );
    return c.json({ ...found, data: found.data.map(toPromotion) }, 200);
  });
