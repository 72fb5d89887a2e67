import { createRoute } from "@hono/zod-openapi";
import { findConversionForPartner } from "../../domain/conversions/find";
import { callerPartnerId, requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { ConversionIdParam, ConversionSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/conversions/{id}",
  operationId: "getConversion",
  tags: ["Conversions"],
  summary: "Get a conversion",
  description: "For the partner that made it and the owners of both programs; anyone else gets 404.",
  security: [{ bearerAuth: ["conversions:write"] }, { bearerAuth: ["members:read"] }],
  middleware: [requireScope("conversions:write", "members:read")] as const,
  request: { params: ConversionIdParam },
  responses: {
    200: { description: "The conversion", content: { "application/json": { schema: ConversionSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetConversionRequest = OperationRequest<typeof route>;
export type GetConversionResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const conversion = await findConversionForPartner(c.var.deps.reader, c.req.valid("param").id, callerPartnerId(c));
    return c.json(ConversionSchema.parse(conversion), 200);
  });
