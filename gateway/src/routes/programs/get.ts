import { createRoute } from "@hono/zod-openapi";
import { findProgram, findProgramForPartner } from "../../domain/programs";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ProgramIdParam, ProgramSchema, toProgram } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{id}",
  operationId: "getProgram",
  tags: ["Programs"],
  summary: "Get a program",
  description: "A partner gets 404 for a program it has no agreement with.",
  security: [{ bearerAuth: ["operator"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("operator", "members:read")] as const,
  request: { params: ProgramIdParam },
  responses: {
    200: { description: "The program", content: { "application/json": { schema: ProgramSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetProgramRequest = OperationRequest<typeof route>;
export type GetProgramResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { db } = c.get("deps");
    const { id } = c.req.valid("param");
    const partnerId = c.get("principal")?.partnerId;
    const program = partnerId ? await findProgramForPartner(db, id, partnerId) : await findProgram(db, id);
    return c.json(toProgram(program), 200);
  });
