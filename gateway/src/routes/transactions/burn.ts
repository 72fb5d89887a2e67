import { createRoute, z } from "@hono/zod-openapi";
import { memberAccess } from "../../domain/access";
import { burn } from "../../domain/ledger/burn";
import { callerPartnerId, requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ExternalId } from "../members/schemas";
import { PointsSchema, TransactionSchema } from "./schemas";

const BurnBody = z
  .object({
    program_id: z.string().min(1).openapi({ example: "prg_01jdz3m2c4p8r6t0v2x4z6b8d0" }),
    external_id: ExternalId,
    points: PointsSchema,
    reference: z.string().trim().min(1).max(255).openapi({ example: "redemption-5531" }),
    description: z.string().max(500).optional(),
  })
  .strict()
  .openapi("BurnPoints");

export const route = createRoute({
  method: "post",
  path: "/v1/transactions/burn",
  operationId: "burnPoints",
  tags: ["Transactions"],
  summary: "Burn points",
  description:
    "Debits the member in favour of your redemption account in the program. Never overdraws: without enough " +
    "available points it answers 409 `insufficient_points` and writes nothing. Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["points:burn"] }],
  middleware: [requireScope("points:burn"), idempotency({ required: true, atomic: true })] as const,
  request: {
    headers: RequiredIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: BurnBody } } },
  },
  responses: {
    201: { description: "The burn transaction", content: { "application/json": { schema: TransactionSchema } } },
    202: {
      description: "Held for review by a fraud rule: the points are reserved (`pending`) under a `hold` transaction",
      content: { "application/json": { schema: TransactionSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429),
  },
});

export type BurnPointsRequest = OperationRequest<typeof route>;
export type BurnPointsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { deps } = c.var;
    const partnerId = callerPartnerId(c);
    const body = c.req.valid("json");
    const access = await memberAccess(
      deps.reader,
      body.program_id,
      body.external_id,
      partnerId,
      deps.clock.now(),
      "burn",
    );
    const result = await burn(
      deps,
      { access, partnerId, points: body.points, reference: body.reference, description: body.description },
      c.var.idempotency,
    );
    return committedResponse(c, result);
  });
