import { createRoute, z } from "@hono/zod-openapi";
import { createPromotion } from "../../domain/promotions/promotions";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../segments/schemas";
import { definitionFields, newDefinitionOf, PromotionSchema, toPromotion } from "./schemas";

const CreatePromotionBody = z
  .object({
    ...definitionFields,
    status: z.enum(["draft", "active"]).openapi({
      description: "draft: nothing applies until you PATCH it to active; active: applies from starts_at",
    }),
  })
  .strict()
  .openapi("CreatePromotion", {
    example: {
      name: "Double miles on weekend evenings",
      status: "draft",
      starts_at: "2026-06-01T00:00:00Z",
      ends_at: "2026-09-01T00:00:00Z",
      trigger: "earn",
      schedule: { days_of_week: [5, 6], from_time: "17:00", to_time: "23:00" },
      reward: { multiplier_bps: 20_000 },
      limits: { budget_points: 1_000_000, max_points_per_member: 5_000 },
      control_group_bps: 1000,
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/promotions",
  operationId: "createPromotion",
  tags: ["Promotions"],
  summary: "Create a promotion",
  description:
    "A bonus the gateway pays by itself inside the earn (or enrolment, or activity) that qualifies: when (status, " +
    "starts_at/ends_at, schedule), to whom (audience, conditions), what (reward) and within which limits. Every " +
    "problem is answered at once as 400 `validation_failed` with its JSON path in `errors` (`ends_at`, " +
    "`audience.segments[1]`, `schedule.timezone`...), and nothing is written. Ids in `audience` and `campaign_id` " +
    "must be the program's: its tier keys, its segments, partners with an agreement in it, its campaigns. Create it " +
    "as a draft to check it with POST /v1/programs/{program_id}/promotions/simulate first. For the program's owner " +
    "(`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: CreatePromotionBody } } },
  },
  responses: {
    201: { description: "The promotion", content: { "application/json": { schema: PromotionSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type CreatePromotionRequest = OperationRequest<typeof route>;
export type CreatePromotionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const promotion = await createPromotion(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      { ...newDefinitionOf(body), status: body.status },
    );
    return c.json(toPromotion(promotion), 201);
  });
