import { createRoute, z } from "@hono/zod-openapi";
import { partnerScopes } from "../../auth/scopes";
import { createPartner } from "../../domain/partners";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { NewCredentialSchema, PartnerSchema, ScopesSchema, toCredential, toPartner } from "./schemas";

export const CreatePartnerBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "SkyWays Airlines" }),
    contact_email: z.email().max(254).openapi({ example: "loyalty-dev@skyways.example" }),
    requests_per_minute: z.number().int().min(1).max(1_000_000).optional(),
    scopes: ScopesSchema.optional().openapi({
      description: "Scopes of the first credential; default all partner scopes",
    }),
  })
  .strict()
  .openapi("CreatePartner");

const CreatedPartnerSchema = PartnerSchema.extend({
  credentials: NewCredentialSchema,
}).openapi("CreatedPartner");

export const route = createRoute({
  method: "post",
  path: "/v1/partners",
  operationId: "createPartner",
  tags: ["Partners"],
  summary: "Onboard a partner",
  description:
    "Creates the partner and its first client credential. The `client_secret` is shown only in this response.",
  security: [{ bearerAuth: ["operator"] }],
  middleware: [
    requireScope("operator"),
    idempotency({
      required: false,
      atomic: false,
      redact: (body) => ({ ...body, credentials: { ...(body.credentials as object), client_secret: null } }),
    }),
  ] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreatePartnerBody } } } },
  responses: {
    201: {
      description: "The partner with its credential",
      content: {
        "application/json": {
          schema: CreatedPartnerSchema,
          example: {
            id: "ptn_01jdz3k7q8m2x9v4b6n0c5t1wa",
            name: "SkyWays Airlines",
            contact_email: "loyalty-dev@skyways.example",
            status: "active",
            requests_per_minute: null,
            created_at: "2026-11-23T18:30:00.000Z",
            suspended_at: null,
            credentials: {
              client_id: "ci_Yq3m0dW8pL2vXk9sT4bN7a1c",
              client_secret: "cs_2sK9...shown-once...",
              scopes: [...partnerScopes],
              created_at: "2026-11-23T18:30:00.000Z",
              revoked_at: null,
            },
          },
        },
      },
    },
    ...errorResponses(400, 401, 403, 413, 415),
  },
});

export type CreatePartnerRequest = OperationRequest<typeof route>;
export type CreatePartnerResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { partner, credential, secret } = await createPartner(c.get("deps"), {
      name: body.name,
      contactEmail: body.contact_email,
      requestsPerMinute: body.requests_per_minute,
      scopes: body.scopes ?? partnerScopes,
    });
    return c.json(
      CreatedPartnerSchema.parse({
        ...toPartner(partner),
        credentials: { ...toCredential(credential), client_secret: secret },
      }),
      201,
    );
  });
