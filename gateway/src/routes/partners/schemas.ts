import { z } from "@hono/zod-openapi";
import { grantedScopes, partnerScopes } from "../../auth/scopes";
import { credentialNameMessages, credentialNameProblem, maxCredentialNameLength } from "../../domain/credentials";
import type { Credential, Partner } from "../../domain/partners";

export const PartnerIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "ptn_01jdz3k7q8m2x9v4b6n0c5t1wa" }),
});

/** A partner's credential in a path: `/v1/partners/{id}/credentials/{client_id}...` */
export const CredentialParams = PartnerIdParam.extend({
  client_id: z.string().openapi({ param: { name: "client_id", in: "path" }, example: "ci_Yq3m0dW8pL2vXk9sT4bN7a1c" }),
});

export const ScopesSchema = z
  .array(z.enum(partnerScopes))
  .min(1)
  .openapi({ example: ["members:write", "members:read", "points:earn", "points:burn"] });

export const CredentialSchema = z
  .object({
    client_id: z.string(),
    scopes: z.array(z.string()),
    created_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable().openapi({
      description: "When the credential stopped working; a later time while a rotation's grace period runs",
    }),
    name: z.string().nullable().openapi({
      description: "The partner's name for the credential; a rotation's new credential keeps it",
      example: "Production checkout",
    }),
    last_used_at: z.iso.datetime().nullable().openapi({
      description:
        "When the credential last got an access token, to the minute (recorded at most once a minute); null if never",
    }),
  })
  .openapi("Credential");

/** A credential's name as a request gives it: 1 to 80 characters once trimmed (the domain trims it), one line. */
export const CredentialNameSchema = z
  .string()
  .superRefine((name, ctx) => {
    const problem = credentialNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: credentialNameMessages[problem] });
  })
  .openapi({
    description: `The partner's name for the credential, such as "Production checkout" or "Staging": 1 to ${maxCredentialNameLength} characters, one line`,
    example: "Production checkout",
  });

/** A new credential: the only time its secret is shown. */
/** The secret is shown once: an idempotent replay of the creating request answers it as null. */
export const ClientSecret = z
  .string()
  .nullable()
  .openapi({ description: "Shown only in the first response; null when an Idempotency-Key replays it" });

export const NewCredentialSchema = CredentialSchema.extend({ client_secret: ClientSecret }).openapi("NewCredential");

export const PartnerSchema = z
  .object({
    id: z.string().openapi({ example: "ptn_01jdz3k7q8m2x9v4b6n0c5t1wa" }),
    name: z.string().openapi({ example: "SkyWays Airlines" }),
    contact_email: z.string().openapi({ example: "loyalty-dev@skyways.example" }),
    status: z.enum(["active", "suspended"]),
    requests_per_minute: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Request limit override; null uses the default" }),
    created_at: z.iso.datetime().openapi({ example: "2026-11-23T18:30:00.000Z" }),
    suspended_at: z.iso.datetime().nullable(),
  })
  .openapi("Partner");

export const PartnerWithCredentialsSchema = PartnerSchema.extend({
  credentials: z.array(CredentialSchema),
}).openapi("PartnerWithCredentials");

export const toCredential = (row: Credential) =>
  CredentialSchema.parse({
    client_id: row.clientId,
    scopes: grantedScopes(row.partnerId, row.scopes),
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt?.toISOString() ?? null,
    name: row.name,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  });

export const toPartner = (row: Partner) =>
  PartnerSchema.parse({
    id: row.id,
    name: row.name,
    contact_email: row.contactEmail,
    status: row.status,
    requests_per_minute: row.requestsPerMinute,
    created_at: row.createdAt.toISOString(),
    suspended_at: row.suspendedAt?.toISOString() ?? null,
  });
