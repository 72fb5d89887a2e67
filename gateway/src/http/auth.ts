import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Scope } from "../auth/scopes";
import { missingToken, type Principal, verifyAccessToken } from "../auth/tokens";
import { findCredentialStanding } from "../db/queries/credentials";
import { ApiError } from "../errors";
import type { AppEnv } from "./context";
import { enforceRequestLimit } from "./rate-limit";

/**
 * Verifies the bearer token, then checks the credential and its partner in the database on every request,
 * so a revoked credential or a suspended partner is refused at once, not when its token expires.
 */
async function authenticate(c: Context<AppEnv>): Promise<Principal> {
  const cached = c.get("principal");
  if (cached) return cached;
  const { deps } = c.var;
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw missingToken();
  const token = match[1];
  // Tokens live in real time, even when a sandbox's business clock runs ahead.
  const now = deps.realClock.now().getTime();
  let principal = deps.verifiedTokens.get(token, now);
  if (!principal) {
    const verified = await verifyAccessToken(deps.keys, deps.realClock, deps.tokens, token);
    deps.verifiedTokens.set(token, verified.principal, verified.expiresAtMs);
    principal = verified.principal;
  }
  // Revocations are kept in business time, like the rest of the data.
  const standing = await findCredentialStanding(deps.reader, principal.clientId, deps.clock.now());
  if (!standing || standing.revoked || standing.partnerId !== principal.partnerId)
    throw new ApiError("unauthorized", "The credential behind this access token has been revoked.", {
      headers: { "WWW-Authenticate": 'Bearer realm="coalition-gateway", error="invalid_token"' },
    });
  if (standing.partnerStatus === "suspended")
    throw new ApiError("partner_suspended", "This partner is suspended; contact the coalition operator.");
  c.set("principal", principal);
  await enforceRequestLimit(c, {
    name: principal.partnerId ? "partner" : "operator",
    key: principal.clientId,
    perMinute: standing.requestsPerMinute ?? deps.config.RATE_LIMIT_REQUESTS_PER_MINUTE,
  });
  return principal;
}

/** Route middleware: a valid token carrying one of `scopes`, else 401/403. */
export const requireScope = (...scopes: Scope[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = await authenticate(c);
    if (!scopes.some((scope) => principal.scopes.includes(scope)))
      throw new ApiError(
        "forbidden",
        `This route needs the scope ${scopes.map((scope) => `\`${scope}\``).join(" or ")}; the token has \`${principal.scopes.join(" ")}\`.`,
      );
    await next();
  });

/** The calling partner's id; routes behind a partner scope call this. */
export function callerPartnerId(c: Context<AppEnv>): string {
  const partnerId = c.get("principal")?.partnerId;
  if (!partnerId) throw new ApiError("forbidden", "This route is for partner credentials.");
  return partnerId;
}
