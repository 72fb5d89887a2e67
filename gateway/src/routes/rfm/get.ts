import { createRoute } from "@hono/zod-openapi";
import { readRfm } from "../../domain/rfm/view";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../tiers/schemas";
import { RfmSchema, rfmRules, toRfm } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/rfm",
  operationId: "getRfm",
  tags: ["RFM"],
  summary: "Get a program's RFM scoring",
  description:
    "The program's last RFM scoring: when it ran, how many members it scored, the members of each segment and of " +
    "each R-by-F cell. Before the first scoring, `computed_at` is null and every count 0. For the program's owner " +
    `(\`programs:manage\`) and the operator.\n\n${rfmRules}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam },
  responses: {
    200: { description: "The last scoring", content: { "application/json": { schema: RfmSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetRfmRequest = OperationRequest<typeof route>;
export type GetRfmResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toRfm(await readRfm(c.get("deps"), caller, c.req.valid("param").program_id)), 200);
  });
