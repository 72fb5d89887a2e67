import { createRoute } from "@hono/zod-openapi";
import { noVelocityRules, setVelocityRules } from "../../../domain/fraud/rules";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import { idempotency } from "../../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { ProgramIdParam } from "../schemas";
import { toVelocityRules, VelocityRulesBody, VelocityRulesSchema } from "./schemas";

export const route = createRoute({
  method: "put",
  path: "/v1/programs/{id}/velocity-rules",
  operationId: "setVelocityRules",
  tags: ["Fraud"],
  summary: "Set a program's velocity rules",
  description:
    "Replaces the program's fraud rules; a rule left out is off. Amount rules consume the points of each operation, " +
    "count rules count operations, per member, in sliding windows shared by every gateway process when Upstash Redis " +
    "is configured. A breach rejects (429 with a code naming the rule) or holds the operation for review, as the rule says.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), idempotency({ required: false, atomic: false })] as const,
  request: {
    params: ProgramIdParam,
    body: { required: true, content: { "application/json": { schema: VelocityRulesBody } } },
  },
  responses: {
    200: { description: "The rules now in force", content: { "application/json": { schema: VelocityRulesSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type SetVelocityRulesRequest = OperationRequest<typeof route>;
export type SetVelocityRulesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { id } = c.req.valid("param");
    const rules = await setVelocityRules(c.get("deps"), id, {
      maxEarnPointsPerMemberPerDay: body.max_earn_points_per_member_per_day ?? null,
      maxBurnsPerMemberPerHour: body.max_burns_per_member_per_hour ?? null,
      burnAction: body.actions?.max_burns_per_member_per_hour ?? noVelocityRules.burnAction,
      maxConversionPointsPerMemberPerDay: body.max_conversion_points_per_member_per_day ?? null,
      conversionAction: body.actions?.max_conversion_points_per_member_per_day ?? noVelocityRules.conversionAction,
      reviewThresholdPoints: body.review_threshold_points ?? null,
      holdFirstConversionToNewDestination: body.hold_first_conversion_to_new_destination ?? false,
    });
    return c.json(toVelocityRules(id, rules), 200);
  });
