import { createRoute } from "@hono/zod-openapi";
import { recomputeRfm } from "../../domain/rfm/view";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam } from "../tiers/schemas";
import { RfmSchema, rfmRules, toRfm } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/v1/programs/{program_id}/rfm/recompute",
  operationId: "recomputeRfm",
  tags: ["RFM"],
  summary: "Score a program's members by RFM now",
  description:
    "Scores the program's members now, without waiting for the daily job, replacing the last scoring in one " +
    "atomic write, and answers 202 with the new scoring (as `GET /v1/programs/{program_id}/rfm` shows it); the " +
    "daily job scores the program again 24 hours later. Takes no body. For the program's owner " +
    `(\`programs:manage\`) and the operator.\n\n${rfmRules}`,
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }],
  middleware: [requireScope("operator", "programs:manage")] as const,
  request: { params: ProgramIdPathParam },
  responses: {
    202: { description: "The new scoring", content: { "application/json": { schema: RfmSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type RecomputeRfmRequest = OperationRequest<typeof route>;
export type RecomputeRfmResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toRfm(await recomputeRfm(c.get("deps"), caller, c.req.valid("param").program_id)), 202);
  });
