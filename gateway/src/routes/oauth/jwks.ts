import { createRoute, z } from "@hono/zod-openapi";
import type { createRouter } from "../../http/context";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";

const JwksSchema = z
  .object({
    keys: z.array(z.object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string() }).passthrough()),
  })
  .openapi("JWKS");

export const route = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "getJwks",
  tags: ["Auth"],
  summary: "Public keys of access tokens",
  description:
    "The JSON Web Key Set that verifies access tokens: the current key and, after a rotation, the previous one.",
  responses: {
    200: {
      description: "The published keys",
      content: {
        "application/json": {
          schema: JwksSchema,
          example: {
            keys: [
              {
                kty: "EC",
                crv: "P-256",
                x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
                kid: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
                alg: "ES256",
                use: "sig",
              },
            ],
          },
        },
      },
    },
  },
});

export type GetJwksRequest = OperationRequest<typeof route>;
export type GetJwksResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json({ keys: await c.get("deps").keys.publishedJwks() } as z.infer<typeof JwksSchema>, 200);
  });
