import { createRoute } from "@hono/zod-openapi";
import { revokeCredential } from "../../../domain/partners";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { CredentialParams, CredentialSchema, toCredential } from "../schemas";

export const route = createRoute({
  method: "delete",
  path: "/v1/partners/{id}/credentials/{client_id}",
  operationId: "revokePartnerCredential",
  tags: ["Partners"],
  summary: "Revoke a credential",
  description:
    "The credential can no longer get tokens, and its unexpired tokens are refused from the next request on; also " +
    "a credential whose rotation's grace period is still running.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator")] as const,
  request: {
    params: CredentialParams,
  },
  responses: {
    200: { description: "The revoked credential", content: { "application/json": { schema: CredentialSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export type RevokePartnerCredentialRequest = OperationRequest<typeof route>;
export type RevokePartnerCredentialResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { id, client_id } = c.req.valid("param");
    return c.json(toCredential(await revokeCredential(c.get("deps"), id, client_id)), 200);
  });
