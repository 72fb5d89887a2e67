import { createRoute } from "@hono/zod-openapi";
import { promotionPerformance } from "../../domain/promotions/performance";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { PromotionPerformanceSchema, toPromotionPerformance } from "./performance-schemas";
import { PromotionIdParam } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/promotions/{id}/performance",
  operationId: "getPromotionPerformance",
  tags: ["Promotions"],
  summary: "Get a promotion's performance",
  description:
    "Treatment (exposed and paid) against control (held out by `control_group_bps`): each group's members, their " +
    "earns and purchase spend from each member's exposure (its first qualifying event) to the promotion's `ends_at` " +
    "(exclusive; every later earn while it has none), gross of reversals. `uplift_pct` compares spend per member; `uplift_ci95` is Welch's " +
    "unequal-variance 95% interval (normal quantile 1.96) of the difference of means as a percentage of the " +
    "control mean, null under 30 members in either group. `cost` prices the points awarded at the program's " +
    "issue price; `roi` = (incremental spend - cost) / cost. For the program's owner and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: PromotionIdParam },
  responses: {
    200: {
      description: "The promotion's performance as of now",
      content: { "application/json": { schema: PromotionPerformanceSchema } },
    },
    ...errorResponses(401, 403, 404),
  },
});

export type GetPromotionPerformanceRequest = OperationRequest<typeof route>;
export type GetPromotionPerformanceResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const performance = await promotionPerformance(c.get("deps"), caller, c.req.valid("param").id);
    return c.json(toPromotionPerformance(performance), 200);
  });
