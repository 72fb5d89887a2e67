import { createRoute, z } from "@hono/zod-openapi";
import { maxRotationGraceMs, rotateCredential } from "../../../domain/credential-rotation";
import { requireScope } from "../../../http/auth";
import type { createRouter } from "../../../http/context";
import { errorResponses } from "../../../http/errors";
import type { OperationRequest, OperationResponse } from "../../../http/operation-types";
import { CredentialParams, NewCredentialSchema, toCredential } from "../schemas";
import { newCredentialIdempotency, newCredentialResponse } from "./new-credential";

const RotateCredentialBody = z
  .object({
    grace_period_seconds: z
      .number()
      .int()
      .min(0)
      .max(maxRotationGraceMs / 1000)
      .optional()
      .openapi({
        description:
          "How long the old credential keeps working, so the new one can be deployed first: 0 (the default) " +
          "revokes it at once, 3600 an hour later, 86400 (the most) a day later.",
        example: 3600,
      }),
  })
  .strict()
  .openapi("RotateCredential");

export const route = createRoute({
  method: "post",
  path: "/v1/partners/{id}/credentials/{client_id}/rotate",
  operationId: "rotatePartnerCredential",
  tags: ["Partners"],
  summary: "Rotate a credential",
  description:
    "Replaces a credential in one atomic write: a new client id and secret with the same scopes, and the old " +
    "credential revoked, at once or after `grace_period_seconds`; from then on its tokens are refused. The " +
    "secret is shown only in this response. A credential already revoked or replaced answers 409: of two " +
    "rotations at once, one succeeds.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), newCredentialIdempotency] as const,
  request: {
    params: CredentialParams,
    body: { required: false, content: { "application/json": { schema: RotateCredentialBody } } },
  },
  responses: {
    201: newCredentialResponse,
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

export type RotatePartnerCredentialRequest = OperationRequest<typeof route>;
export type RotatePartnerCredentialResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { id, client_id } = c.req.valid("param");
    const body = c.req.valid("json") as z.infer<typeof RotateCredentialBody> | undefined;
    const { credential, secret } = await rotateCredential(c.get("deps"), {
      partnerId: id,
      clientId: client_id,
      graceMs: (body?.grace_period_seconds ?? 0) * 1000,
    });
    return c.json(NewCredentialSchema.parse({ ...toCredential(credential), client_secret: secret }), 201);
  });
