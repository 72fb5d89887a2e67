import { createRoute } from "@hono/zod-openapi";
import { readTransferRules } from "../../domain/transfers/rules";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { programReaders } from "../program-readers";
import { ProgramIdPathParam } from "../segments/schemas";
import { TransferRulesSchema, toTransferRules } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/transfer-rules",
  operationId: "getTransferRules",
  tags: ["Transfers"],
  summary: "Get a program's transfer rules",
  description:
    "The rules members of the program transfer points under. Before the owner sets any, the defaults: " +
    "`enabled: false`, `min_points: 1`, no monthly maximum, no fee, no minimum membership age (`updated_at` null). " +
    "For the program's owner, the operator and partners with an agreement in the program.",
  ...programReaders,
  request: { params: ProgramIdPathParam },
  responses: {
    200: { description: "The rules in force", content: { "application/json": { schema: TransferRulesSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type GetTransferRulesRequest = OperationRequest<typeof route>;
export type GetTransferRulesResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(
      toTransferRules(await readTransferRules(c.get("deps"), caller, c.req.valid("param").program_id)),
      200,
    );
  });
