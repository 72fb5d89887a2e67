import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../errors";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";

const RotationSchema = z
  .object({ kid: z.string(), published_kids: z.array(z.string()) })
  .openapi("SigningKeyRotation", { example: { kid: "3q2f...new", published_kids: ["3q2f...new", "NzbL...old"] } });

export const route = createRoute({
  method: "post",
  path: "/v1/signing-keys/rotate",
  operationId: "rotateSigningKey",
  tags: ["Auth"],
  summary: "Rotate the token signing key",
  description:
    "Generates a new ES256 key that signs tokens from now on. The previous public key stays in the JWKS (and " +
    "tokens it signed stay valid) until they have all expired.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [requireScope("operator"), idempotency({ required: false, atomic: false })] as const,
  responses: {
    201: {
      description: "The new key id and every published key id",
      content: { "application/json": { schema: RotationSchema } },
    },
    ...errorResponses(401, 403, 409),
  },
});

export type RotateSigningKeyRequest = OperationRequest<typeof route>;
export type RotateSigningKeyResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const { keys, config } = c.get("deps");
    if (config.JWT_PRIVATE_JWK)
      throw new ApiError(
        "conflict",
        "The signing key comes from JWT_PRIVATE_JWK; rotate by configuring a new key and restarting.",
      );
    const kid = await keys.rotate();
    const published = await keys.publishedJwks();
    return c.json(RotationSchema.parse({ kid, published_kids: published.map((jwk) => jwk.kid) }), 201);
  });
