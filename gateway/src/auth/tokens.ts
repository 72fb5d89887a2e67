import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Clock } from "../clock";
import { ApiError } from "../errors";
import type { KeyStore } from "./keys";
import { randomToken } from "./secrets";

/** Who is calling: an operator credential (partnerId null) or one of a partner's credentials. */
export type Principal = { clientId: string; partnerId: string | null; scopes: string[] };

/** A verified token: who it is for and when it expires. */
export type VerifiedToken = { principal: Principal; expiresAtMs: number };

export type TokenSettings = { issuer: string; audience: string; ttlSeconds: number };

/** Signs an RFC 9068 JWT access token. */
export async function issueAccessToken(
  keys: KeyStore,
  clock: Clock,
  settings: TokenSettings,
  principal: Principal,
): Promise<{ access_token: string; token_type: "Bearer"; expires_in: number; scope: string }> {
  const { kid, alg, key } = await keys.signingKey();
  const now = Math.floor(clock.now().getTime() / 1000);
  const scope = principal.scopes.join(" ");
  const accessToken = await new SignJWT({ client_id: principal.clientId, scope })
    .setProtectedHeader({ alg, kid, typ: "at+jwt" })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(principal.partnerId ?? "operator")
    .setJti(randomToken(16))
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + settings.ttlSeconds)
    .sign(key);
  return { access_token: accessToken, token_type: "Bearer", expires_in: settings.ttlSeconds, scope };
}

const invalidToken = (description: string) =>
  new ApiError("unauthorized", description, {
    headers: {
      "WWW-Authenticate": `Bearer realm="coalition-gateway", error="invalid_token", error_description="${description}"`,
    },
  });

/** Verifies signature, `kid`, `iss`, `aud`, `exp`/`nbf` against the injected clock; throws 401 otherwise. */
export async function verifyAccessToken(
  keys: KeyStore,
  clock: Clock,
  settings: TokenSettings,
  token: string,
): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = header.kid ? await keys.verificationKey(header.kid) : undefined;
        if (!key) throw invalidToken("The access token was signed by an unknown key.");
        return key;
      },
      {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ["ES256", "EdDSA"],
        typ: "at+jwt",
        currentDate: clock.now(),
        requiredClaims: ["exp", "iat", "jti", "sub"],
      },
    );
    if (typeof payload.client_id !== "string" || typeof payload.scope !== "string" || !payload.sub)
      throw invalidToken("The access token lacks client_id or scope.");
    return {
      principal: {
        clientId: payload.client_id,
        partnerId: payload.sub === "operator" ? null : payload.sub,
        scopes: payload.scope.split(" ").filter(Boolean),
      },
      expiresAtMs: (payload.exp ?? 0) * 1000,
    };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw invalidToken("The access token has expired.");
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      throw invalidToken(`The access token's ${error.claim} claim is not valid.`);
    throw invalidToken("The access token is malformed or its signature is invalid.");
  }
}

/** The 401 for a request without a bearer token. */
export const missingToken = () =>
  new ApiError("unauthorized", "Send an access token from POST /oauth/token as `Authorization: Bearer <token>`.", {
    headers: { "WWW-Authenticate": 'Bearer realm="coalition-gateway"' },
  });
