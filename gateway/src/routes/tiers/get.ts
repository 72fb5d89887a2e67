import { createRoute } from "@hono/zod-openapi";
import { readTierTable } from "../../domain/tiers/table";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdPathParam, TierTableSchema, toTierTable } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{program_id}/tiers",
  operationId: "getTiers",
  tags: ["Tiers"],
  summary: "Get a program's tier table",
  description:
    "The program's tiers, lowest first, with how many members hold each. For the program's owner, the operator and " +
    "partners with an agreement in the program; empty while the program has no tiers.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["programs:manage"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("operator", "programs:manage", "members:read")] as const,
  request: { params: ProgramIdPathParam },
  responses: {
    200: { description: "The tier table", content: { "application/json": { schema: TierTableSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export type GetTiersRequest = OperationRequest<typeof route>;
export type GetTiersResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const caller = { partnerId: c.get("principal")?.partnerId ?? null };
    return c.json(toTierTable(await readTierTable(c.get("deps"), caller, c.req.valid("param").program_id)), 200);
  });
