import { createRoute, z } from "@hono/zod-openapi";
import { executeQuote } from "../../domain/conversions/execute";
import { callerPartnerId, requireScope } from "../../http/auth";
import { committedResponse } from "../../http/committed";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import { RequiredIdempotencyHeader } from "../../http/idempotency-header";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ConversionSchema } from "./schemas";

const ExecuteBody = z
  .object({ quote_id: z.string().min(1) })
  .strict()
  .openapi("ExecuteConversion");

export const route = createRoute({
  method: "post",
  path: "/v1/conversions",
  operationId: "executeConversion",
  tags: ["Conversions"],
  summary: "Convert points",
  description:
    "Executes a quote in one atomic write: the source member is debited, the destination member credited, both " +
    "programs' journals record their leg, and the settlement obligation is fixed. Above the source program's review " +
    "threshold the points are reserved instead and the answer is 202 `held` with a `review_id`. When the two " +
    "programs are on different databases of a sharded deployment, the points are reserved in the source and " +
    "credited in the destination: 201 `completed` once both are done, 201 `failed` (with `failure_reason`, the " +
    "points back with the member) if the destination refused them, or 202 `pending` while the destination cannot " +
    "be reached; `GET /v1/conversions/{id}` and a retry with the same key then answer how it ended. An expired " +
    "quote answers 409 `quote_expired`, a used one 409 `conflict`, too few points 409 `insufficient_points`. " +
    "Requires `Idempotency-Key`.",
  security: [{ bearerAuth: ["conversions:write"] }],
  middleware: [requireScope("conversions:write"), idempotency({ required: true, atomic: true })] as const,
  request: {
    headers: RequiredIdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ExecuteBody } } },
  },
  responses: {
    201: {
      description: "The completed conversion (or, between two databases, one the destination refused: `failed`)",
      content: { "application/json": { schema: ConversionSchema } },
    },
    202: {
      description:
        "Held for review, or between two databases `pending` until the destination credits it: points reserved",
      content: { "application/json": { schema: ConversionSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429),
  },
});

export type ExecuteConversionRequest = OperationRequest<typeof route>;
export type ExecuteConversionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const result = await executeQuote(
      c.var.deps,
      { partnerId: callerPartnerId(c), quoteId: c.req.valid("json").quote_id },
      c.var.idempotency,
    );
    return committedResponse(c, result);
  });
