import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { operatorScope, parseScopes } from "../../auth/scopes";
import { issueAccessToken } from "../../auth/tokens";
import { authenticateClient, recordCredentialUse } from "../../domain/credentials";
import { ApiError, fieldPath } from "../../errors";
import type { AppEnv, createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { afterResponse, limitBody } from "../../http/middleware";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { clientAddress, countAgainst, enforceRequestLimit } from "../../http/rate-limit";

/** A token request is a grant type, a client id, a secret and a scope list: a few hundred bytes. */
const tokenRequestMaxBytes = 4096;

const TokenRequest = z
  .object({
    grant_type: z.literal("client_credentials").openapi({ example: "client_credentials" }),
    client_id: z.string().min(1).max(255).optional().openapi({ description: "Unless sent with HTTP Basic" }),
    client_secret: z.string().min(1).max(255).optional().openapi({ description: "Unless sent with HTTP Basic" }),
    scope: z
      .string()
      .max(1000)
      .optional()
      .openapi({ description: "Space-separated subset of the credential's scopes" }),
  })
  .openapi("TokenRequest");

const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    scope: z.string(),
  })
  .openapi("TokenResponse", {
    example: {
      access_token: "eyJhbGciOiJFUzI1NiIsImtpZCI6Ij...",
      token_type: "Bearer",
      expires_in: 900,
      scope: "members:write points:earn",
    },
  });

export const route = createRoute({
  method: "post",
  path: "/oauth/token",
  operationId: "getToken",
  tags: ["Auth"],
  summary: "Get an access token",
  description:
    "OAuth 2.0 client credentials grant (RFC 6749 §4.4). Send the client id and secret with HTTP Basic or in the body " +
    "(`application/x-www-form-urlencoded`, or JSON). The token is an ES256 JWT valid for at most 15 minutes. Errors are " +
    "problem+json that also carry the OAuth `error` field.",
  request: {
    body: {
      required: true,
      content: {
        "application/x-www-form-urlencoded": { schema: TokenRequest },
        "application/json": { schema: TokenRequest },
      },
    },
  },
  responses: {
    200: { description: "An access token", content: { "application/json": { schema: TokenResponse } } },
    ...errorResponses(400, 401, 403, 413, 415, 429),
  },
});

/** RFC 6749 §5.2 error, carried in problem JSON next to our own `code`. */
const oauthError = (
  code: ConstructorParameters<typeof ApiError>[0],
  error: string,
  detail: string,
  headers?: Record<string, string>,
) => new ApiError(code, detail, { headers, extra: { error, error_description: detail } });

const invalidClient = () =>
  oauthError("unauthorized", "invalid_client", "Unknown client, wrong secret, or revoked credential.", {
    "WWW-Authenticate": 'Basic realm="coalition-gateway", charset="UTF-8"',
  });

async function readParameters(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const contentType = c.req.header("Content-Type") ?? "";
  // Decoded by hand: workerd warns when a form body is read with text().
  const raw = new TextDecoder().decode(await c.req.arrayBuffer());
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return Object.fromEntries(new URLSearchParams(raw));
  if (/^application\/json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {}
    throw oauthError("validation_failed", "invalid_request", "The request body is not a JSON object.");
  }
  throw oauthError(
    "unsupported_media_type",
    "invalid_request",
    "Send the token request as application/x-www-form-urlencoded (or application/json).",
  );
}

/** `Authorization: Basic` with form-urlencoded id and secret, as RFC 6749 §2.3.1 says. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? "");
  if (!match?.[1]) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    throw invalidClient();
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient();
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll("+", " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll("+", " ")),
    };
  } catch {
    throw invalidClient();
  }
}

export type GetTokenRequest = OperationRequest<typeof route>;
export type GetTokenResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) => {
  app.openAPIRegistry.registerPath(route);
  // Refused before anything is read or checked: no credentials are needed to send a body.
  app.post(route.path, limitBody(tokenRequestMaxBytes), async (c) => {
    c.header("Cache-Control", "no-store");
    // Against guessing: failed attempts per client id from one address, and (five times as many) per address
    // whatever the client id. Both are peeked before the secret is checked and counted only when an attempt
    // fails: a stranger's failures never stop the owner of the secret at another address, and one partner
    // with a wrong secret behind a shared proxy does not stop the others there.
    const perMinute = c.get("deps").config.RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE;
    const address = clientAddress(c);
    const failures = { name: "token-failures", key: `token-failures:${address}`, perMinute: perMinute * 5 };
    await enforceRequestLimit(c, { ...failures, mode: "peek" });
    const parameters = await readParameters(c);
    const parsed = TokenRequest.safeParse(parameters);
    if (!parsed.success) {
      const grantIssue = parsed.error.issues.find((issue) => issue.path[0] === "grant_type");
      if (grantIssue && parameters.grant_type !== undefined)
        throw oauthError(
          "unsupported_grant_type",
          "unsupported_grant_type",
          "Only grant_type=client_credentials is supported.",
        );
      throw new ApiError("validation_failed", "The token request is not valid.", {
        errors: parsed.error.issues.map((issue) => ({ path: fieldPath(issue.path), message: issue.message })),
        extra: { error: "invalid_request", error_description: "The token request is not valid." },
      });
    }
    const basic = basicCredentials(c.req.header("Authorization"));
    if (basic && (parsed.data.client_id || parsed.data.client_secret))
      throw oauthError(
        "validation_failed",
        "invalid_request",
        "Send client credentials either with HTTP Basic or in the body, not both.",
      );
    const clientId = basic?.clientId ?? parsed.data.client_id;
    const secret = basic?.secret ?? parsed.data.client_secret;
    if (!clientId || !secret) {
      await countAgainst(c, failures);
      throw invalidClient();
    }

    const clientFailures = {
      name: "token-client-failures",
      key: `token-client-failures:${encodeURIComponent(address)}:${encodeURIComponent(clientId)}`,
      perMinute,
    };
    await enforceRequestLimit(c, { ...clientFailures, mode: "peek" });
    const deps = c.get("deps");
    const client = await authenticateClient(deps, clientId, secret);
    if (!client.ok) {
      if (client.reason === "partner_suspended")
        throw oauthError(
          "partner_suspended",
          "unauthorized_client",
          "This partner is suspended; contact the coalition operator.",
        );
      deps.log("warn", "token request refused", { request_id: c.get("requestId"), client_id: clientId });
      await Promise.all([countAgainst(c, failures), countAgainst(c, clientFailures)]);
      throw invalidClient();
    }
    // Tokens issued per client id: only the holder of the secret can spend this.
    await enforceRequestLimit(c, { name: "token-client", key: `token-client:${clientId}`, perMinute });
    const requested = parsed.data.scope ? parseScopes(parsed.data.scope) : client.scopes;
    const unknown = requested.filter((scope) => !client.scopes.includes(scope));
    if (unknown.length > 0 || requested.length === 0)
      throw oauthError(
        "invalid_scope",
        "invalid_scope",
        `This credential may request only: ${client.scopes.join(" ")}${unknown.length ? ` (not ${unknown.join(" ")})` : ""}.`,
      );
    if (requested.includes(operatorScope) !== (client.partnerId === null))
      throw oauthError("invalid_scope", "invalid_scope", "The operator scope belongs to operator credentials only.");
    const token = await issueAccessToken(deps.keys, deps.realClock, deps.tokens, {
      clientId: client.clientId,
      partnerId: client.partnerId,
      scopes: requested,
    });
    c.set("principal", { clientId: client.clientId, partnerId: client.partnerId, scopes: requested });
    // After answering, never delaying or failing it: on Workers through waitUntil, on Node in the background.
    afterResponse(c, recordCredentialUse(deps, client));
    return c.json(TokenResponse.parse(token), 200);
  });
};
