import { createRoute } from "@hono/zod-openapi";
import { listProgramAgreements } from "../../../db/queries/programs";
import { type Agreement, findProgram } from "../../../domain/programs";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { listOf } from "../../../http/pagination";
import { AgreementSchema, ProgramIdParam, toAgreement } from "../schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/programs/{id}/agreements",
  operationId: "listAgreements",
  tags: ["Programs"],
  summary: "List a program's agreements",
  description:
    "Every agreement version of the program, newest `valid_from` first, each marked scheduled, in force or superseded.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { params: ProgramIdParam },
  responses: {
    200: {
      description: "The agreements",
      content: { "application/json": { schema: listOf(AgreementSchema, "AgreementList") } },
    },
    ...errorResponses(401, 403, 404),
  },
});

export type ListAgreementsRequest = OperationRequest<typeof route>;
export type ListAgreementsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { db, clock } = c.get("deps");
    const program = await findProgram(db, c.req.valid("param").id);
    const rows = await listProgramAgreements(db, program.id);
    const now = clock.now().getTime();
    const inForce = new Set<string>();
    const status = (row: Agreement) => {
      if (row.validFrom.getTime() > now) return "scheduled" as const;
      if (inForce.has(row.partnerId)) return "superseded" as const;
      inForce.add(row.partnerId);
      return "in_force" as const;
    };
    return c.json(
      { object: "list" as const, data: rows.map((row) => toAgreement(row, status(row))), has_more: false },
      200,
    );
  });
