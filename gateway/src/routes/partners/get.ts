import { createRoute } from "@hono/zod-openapi";
import { findPartner, partnerCredentials } from "../../domain/partners";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { PartnerIdParam, PartnerWithCredentialsSchema, toCredential, toPartner } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/v1/partners/{id}",
  operationId: "getPartner",
  tags: ["Partners"],
  summary: "Get a partner",
  description: "The partner with its credentials (client ids and scopes; secrets are never shown again).",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: { params: PartnerIdParam },
  responses: {
    200: { description: "The partner", content: { "application/json": { schema: PartnerWithCredentialsSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type GetPartnerRequest = OperationRequest<typeof route>;
export type GetPartnerResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { db } = c.get("deps");
    const partner = await findPartner(db, c.req.valid("param").id);
    const credentials = await partnerCredentials(db, partner.id);
    return c.json({ ...toPartner(partner), credentials: credentials.map(toCredential) }, 200);
  });
