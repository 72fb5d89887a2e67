import { createRoute, z } from "@hono/zod-openapi";
import { updatePromotion } from "../../domain/promotions/promotions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { definitionFields, definitionOf, PromotionIdParam, PromotionSchema, toPromotion } from "./schemas";

const UpdatePromotionBody = z
  .object({
    ...definitionFields,
    status: z.enum(["draft", "active", "paused", "ended"]).openapi({
      description: "active starts (or resumes) it, paused stops it for now, ended stops it for good",
    }),
  })
  .partial()
  .strict()
  .openapi("UpdatePromotion", {
    description:
      "Only the fields sent change. `schedule`, `audience`, `conditions`, `challenge` and `reward` are replaced whole; " +
      "`limits` changes only the limits it names (null removes one); null clears an optional field.",
    example: { description: "Extended for the summer", limits: { budget_points: 2_000_000 } },
  });

export const route = createRoute({
  method: "patch",
  path: "/v1/promotions/{id}",
  operationId: "updatePromotion",
  tags: ["Promotions"],
  summary: "Update a promotion, or move it through its life cycle",
  description:
    "A draft changes freely. Once it has gone live (active or paused) members may have seen it, so only `status`, " +
    "`ends_at`, `limits` and `description` change: sending any other field is 409 `invalid_state` naming it in " +
    "`errors` (end it and create a new one instead). An ended promotion changes no more (409). Status moves: " +
    "draft -> active | ended, active -> paused | ended, paused -> active | ended; any other is 409 `invalid_state` " +
    "at `status`. The promotion as it will be is checked like a new one (400 `validation_failed` at each path, " +
    "nothing written), and `limits.budget_points` cannot go below the points already paid (`budget.used`). For the " +
    "program's owner (`programs:manage`) and the operator; applies to earns from the next request on.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: PromotionIdParam,
    body: { required: true, content: { "application/json": { schema: UpdatePromotionBody } } },
  },
  responses: {
    200: { description: "The promotion as it is now", content: { "application/json": { schema: PromotionSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type UpdatePromotionRequest = OperationRequest<typeof route>;
export type UpdatePromotionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    const patch = { ...definitionOf(body), ...(body.status === undefined ? {} : { status: body.status }) };
    return c.json(toPromotion(await updatePromotion(c.get("deps"), caller, c.req.valid("param").id, patch)), 200);
  });
