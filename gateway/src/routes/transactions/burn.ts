import { createRoute, z } from "@hono/zod-openapi";
import { burn } from "../../domain/ledger/burn";
import { requireScopeOnHotRoute } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { movementFields, movementTarget, whereFields } from "./movement";
import { PointsSchema, TransactionSchema } from "./schemas";

const BurnBody = z
  .object({
    ...movementFields,
    points: PointsSchema,
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
  middleware: [requireScopeOnHotRoute("points:burn"), idempotency({ required: true, atomic: true })] as const,
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
    const body = c.req.valid("json");
    const { partnerId, access } = await movementTarget(c, body, "burn");
    const result = await burn(
      c.get("deps"),
      {
        access,
        partnerId,
        points: body.points,
        reference: body.reference,
        description: body.description,
        ...whereFields(body),
      },
      c.get("idempotency"),
    );
    return committedResponse(c, result);
  });
