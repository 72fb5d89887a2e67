import { createRoute } from "@hono/zod-openapi";
import { putTransferRules } from "../../domain/transfers/rules";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../segments/schemas";
import { TransferRulesInputSchema, TransferRulesSchema, toTransferRules } from "./schemas";

export const route = createRoute({
  method: "put",
  path: "/v1/programs/{program_id}/transfer-rules",
  operationId: "putTransferRules",
  tags: ["Transfers"],
  summary: "Set a program's transfer rules",
  description:
    "Replaces the rules members of the program transfer points under; a field left out takes its default. Transfers " +
    "are checked against the rules in force when they are written; held ones are decided under the rules they were " +
    "made under. For the program's owner (`programs:manage`) and the operator.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: {
    params: ProgramIdPathParam,
    body: { required: true, content: { "application/json": { schema: TransferRulesInputSchema } } },
  },
  responses: {
    200: { description: "The rules now in force", content: { "application/json": { schema: TransferRulesSchema } } },
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type PutTransferRulesRequest = OperationRequest<typeof route>;
export type PutTransferRulesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const rules = await putTransferRules(
      c.get("deps"),
      { partnerId: c.get("principal")?.partnerId ?? null },
      c.req.valid("param").program_id,
      {
        enabled: body.enabled,
        minPoints: body.min_points,
        maxPointsPerMemberPerMonth: body.max_points_per_member_per_month,
        feeBps: body.fee_bps,
        minMembershipDays: body.min_membership_days,
      },
    );
    return c.json(toTransferRules(rules), 200);
  });
