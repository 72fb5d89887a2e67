import { createRoute, z } from "@hono/zod-openapi";
import { partnerScopes } from "../../../auth/scopes";
import { addCredential } from "../../../domain/partners";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { CredentialNameSchema, NewCredentialSchema, PartnerIdParam, ScopesSchema, toCredential } from "../schemas";
import { newCredentialIdempotency, newCredentialResponse } from "./new-credential";

const CreateCredentialBody = z
  .object({
    scopes: ScopesSchema.optional().openapi({ description: "Default: every partner scope" }),
    name: CredentialNameSchema.optional(),
  })
  .strict()
  .openapi("CreateCredential");

export const route = createRoute({
  method: "post",
  path: "/v1/partners/{id}/credentials",
  operationId: "createPartnerCredential",
  tags: ["Partners"],
  summary: "Add a credential",
  description:
    "Another client id and secret for the partner, for rotation: deploy the new pair, then revoke the old one. " +
    "The secret is shown only in this response.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), newCredentialIdempotency] as const,
  request: {
    params: PartnerIdParam,
    body: { required: false, content: { "application/json": { schema: CreateCredentialBody } } },
  },
  responses: {
    201: newCredentialResponse,
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

export type CreatePartnerCredentialRequest = OperationRequest<typeof route>;
export type CreatePartnerCredentialResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json") as z.infer<typeof CreateCredentialBody> | undefined;
    const { credential, secret } = await addCredential(c.get("deps"), c.req.valid("param").id, {
      scopes: body?.scopes ?? partnerScopes,
      name: body?.name,
    });
    return c.json(NewCredentialSchema.parse({ ...toCredential(credential), client_secret: secret }), 201);
  });
