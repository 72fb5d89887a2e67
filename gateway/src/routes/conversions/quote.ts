import { createRoute, z } from "@hono/zod-openapi";
import { createQuote } from "../../domain/conversions/quote";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ExternalId } from "../members/schemas";
import { PointsSchema } from "../transactions/schemas";
import { QuoteSchema } from "./schemas";

const QuoteBody = z
  .object({
    from_program_id: z.string().min(1),
    from_external_id: ExternalId,
    to_program_id: z.string().min(1),
    to_external_id: ExternalId.openapi({ description: "The member's number in the destination program" }),
    from_points: PointsSchema.openapi({ example: 5000 }),
  })
  .strict()
  .openapi("CreateQuote");

export const route = createRoute({
  method: "post",
  path: "/v1/conversions/quotes",
  operationId: "quoteConversion",
  tags: ["Conversions"],
  summary: "Quote a conversion",
  description:
    "Prices converting `from_points` of the member's source points into the destination program at the rate in " +
    "force, and locks that rate until `expires_at`. Fee: `ceil(from_points * fee_bps / 10000)`; destination points: " +
    "`floor((from_points - fee_points) * to_points / from_points)` of the rate. You must be allowed to burn in the " +
    "source program; an amount below the minimum, off the increment or over the daily maximum answers 400 naming " +
    "the allowed values.",
  security: [{ bearerAuth: ["conversions:write"] }],
  middleware: [requireScope("conversions:write"), idempotency({ required: false, atomic: false })] as const,
  request: { body: { required: true, content: { "application/json": { schema: QuoteBody } } } },
  responses: {
    201: { description: "The quote", content: { "application/json": { schema: QuoteSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

export type QuoteConversionRequest = OperationRequest<typeof route>;
export type QuoteConversionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const quote = await createQuote(c.var.deps, {
      partnerId: callerPartnerId(c),
      fromProgramId: body.from_program_id,
      fromExternalId: body.from_external_id,
      toProgramId: body.to_program_id,
      toExternalId: body.to_external_id,
      fromPoints: body.from_points,
    });
    return c.json(QuoteSchema.parse(quote), 201);
  });
