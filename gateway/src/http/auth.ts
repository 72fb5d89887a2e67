import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Scope } from "../auth/scopes";
import { missingToken, type Principal, verifyAccessToken } from "../auth/tokens";
import {
  type CredentialStanding,
  findCredentialStanding,
  rememberedCredentialStanding,
} from "../db/queries/credentials";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import type { AppEnv } from "./context";
import { enforceRequestLimit } from "./rate-limit";

declare module "hono" {
  interface ContextVariableMap {
    /**
     * Set when a hot route authenticated with the standing this process remembered, not read: the terms epoch it was
     * read at, for `confirmStanding` to check against the route's own read.
     */
    standingEpoch?: number | null;
  }
}

/**
 * Verifies the bearer token, then checks the credential and its partner in the database on every request,
 * so a revoked credential or a suspended partner is refused at once, not when its token expires. With
 * `standingFromRoute`, a standing this process remembers is used without a read, and the route confirms it against
 * the terms epoch of its own read before it answers or writes (`confirmStanding`).
 */
async function authenticate(c: Context<AppEnv>, standingFromRoute: boolean): Promise<Principal> {
  const cached = c.get("principal");
  if (cached) return cached;
  const deps = c.get("deps");
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw missingToken();
  // Tokens live in real time, even when a sandbox's business clock runs ahead.
  const now = deps.realClock.now().getTime();
  let principal = deps.verifiedTokens.get(token, now);
  if (!principal) {
    const verified = await verifyAccessToken(deps.keys, deps.realClock, deps.tokens, token);
    deps.verifiedTokens.set(token, verified.principal, verified.expiresAtMs);
    principal = verified.principal;
  }
  // Revocations are kept in business time, like the rest of the data.
  // A remembered standing that would refuse may be stale: only a standing read now refuses.
  const remembered =
    standingFromRoute && rememberedCredentialStanding(deps.reader, principal.clientId, deps.clock.now());
  const usable = remembered && inGoodStanding(remembered, principal) ? remembered : undefined;
  const standing = usable ?? (await findCredentialStanding(deps.reader, principal.clientId, deps.clock.now()));
  ensureInGoodStanding(standing, principal);
  if (usable) c.set("standingEpoch", usable.epoch);
  c.set("principal", principal);
  await enforceRequestLimit(c, requestPolicy(deps, principal, standing));
  return principal;
}

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header. */
const bearerToken = (header: string | undefined) =>
  /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i.exec((header ?? "").trim())?.[1];

/** The request limit a credential's requests count against: its partner's, else the configured default. */
export const requestPolicy = (
  deps: Pick<Deps, "config">,
  principal: Principal,
  standing: Pick<CredentialStanding, "requestsPerMinute">,
) => ({
  name: principal.partnerId ? "partner" : "operator",
  key: principal.clientId,
  perMinute: standing.requestsPerMinute ?? deps.config.RATE_LIMIT_REQUESTS_PER_MINUTE,
});

/**
 * The caller of a hot read when all of it is in memory: a token this process has verified, holding `scope`, whose
 * credential's remembered standing is good. Undefined otherwise, for the app to authenticate as usual. Like
 * `requireScopeOnHotRoute`, the standing is only as current as its `epoch`: the read must see the same terms epoch
 * before anything is answered (node-listener.ts).
 */
export function rememberedCaller(deps: Deps, authorization: string | undefined, scope: Scope) {
  const token = bearerToken(authorization);
  const principal = token ? deps.verifiedTokens.get(token, deps.realClock.now().getTime()) : undefined;
  if (!principal?.scopes.includes(scope)) return undefined;
  const standing = rememberedCredentialStanding(deps.reader, principal.clientId, deps.clock.now());
  return standing && inGoodStanding(standing, principal) ? { principal, standing } : undefined;
}

const inGoodStanding = (standing: CredentialStanding, principal: Principal) =>
  !standing.revoked && standing.partnerId === principal.partnerId && standing.partnerStatus !== "suspended";

function ensureInGoodStanding(
  standing: CredentialStanding | undefined,
  principal: Principal,
): asserts standing is CredentialStanding {
  if (!standing || standing.revoked || standing.partnerId !== principal.partnerId)
    throw new ApiError("unauthorized", "The credential behind this access token has been revoked.", {
      headers: { "WWW-Authenticate": 'Bearer realm="coalition-gateway", error="invalid_token"' },
    });
  if (standing.partnerStatus === "suspended")
    throw new ApiError("partner_suspended", "This partner is suspended; contact the coalition operator.");
}

/**
 * A hot route's check of a remembered standing (`requireScopeOnHotRoute`), given the terms epoch its own read saw:
 * the same epoch means nothing about credentials or partners changed since the standing was read; another (or none)
 * reads the standing again and refuses as authentication would. Call it after the route's read, before any write.
 */
export async function confirmStanding(c: Context<AppEnv>, epoch: number | null): Promise<void> {
  const assumed = c.get("standingEpoch");
  if (assumed === undefined) return;
  c.set("standingEpoch", undefined);
  if (epoch !== null && epoch === assumed) return;
  const deps = c.get("deps");
  const principal = c.get("principal") as Principal;
  ensureInGoodStanding(await findCredentialStanding(deps.reader, principal.clientId, deps.clock.now()), principal);
}

const scoped = (scopes: Scope[], standingFromRoute: boolean) =>
  createMiddleware<AppEnv>(async (c, next) => {
    try {
      const principal = await authenticate(c, standingFromRoute);
      if (!scopes.some((scope) => principal.scopes.includes(scope)))
        throw new ApiError(
          "forbidden",
          `This route needs the scope ${scopes.map((scope) => `\`${scope}\``).join(" or ")}; the token has \`${principal.scopes.join(" ")}\`.`,
        );
    } catch (error) {
      // A refusal on a remembered standing (the scope, the request limit) must not hide a revocation.
      if (c.get("standingEpoch") !== undefined) await confirmStanding(c, null);
      throw error;
    }
    await next();
    // A route that answered before its read (a validation error, a replay) has not confirmed: confirm now, so a
    // revoked credential never gets an answer. The refusal replaces that answer, without what was particular to it.
    if (c.get("standingEpoch") === undefined) return;
    try {
      await confirmStanding(c, null);
    } catch (error) {
      for (const header of answerHeaders) c.res.headers.delete(header);
      throw error;
    }
  });

/** Headers of an answer that a refusal replacing it must not keep (Hono carries a replaced answer's headers over). */
const answerHeaders = ["Idempotent-Replayed", "Location"];

/** Route middleware: a valid token carrying one of `scopes`, else 401/403. */
export const requireScope = (...scopes: Scope[]) => scoped(scopes, false);

/**
 * `requireScope` for the hot routes (earn, burn, the member read), which read the terms epoch with the member: the
 * credential's standing comes from memory when this process has read it, and the route confirms it with
 * `confirmStanding` after its read, one read fewer per request. Whatever the route does, the standing is confirmed
 * before the answer leaves.
 */
export const requireScopeOnHotRoute = (...scopes: Scope[]) => scoped(scopes, true);

/** The calling partner's id; routes behind a partner scope call this. */
export function callerPartnerId(c: Context<AppEnv>): string {
  const partnerId = c.get("principal")?.partnerId;
  if (!partnerId) throw new ApiError("forbidden", "This route is for partner credentials.");
  return partnerId;
}
