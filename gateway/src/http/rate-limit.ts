import type { Context } from "hono";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import type { AppEnv } from "./context";

const minute = 60_000;

type RequestPolicy = { name: string; key: string; perMinute: number };

/**
 * A request limit (per credential, or per IP on the token endpoint), in a one-minute sliding window.
 * Every checked response carries the IETF httpapi headers (draft-ietf-httpapi-ratelimit-headers):
 * `RateLimit-Policy: "partner";q=600;w=60` and `RateLimit: "partner";r=599;t=12`. Over the limit: 429
 * `rate_limited` with `Retry-After`, before anything else happens. Request limits fail open: if the limiter
 * cannot answer (Redis down), the request goes on and the outage is logged; money rules fail closed instead.
 */
export async function enforceRequestLimit<E extends AppEnv>(
  c: Context<E>,
  policy: RequestPolicy & {
    /** `peek` refuses when the limit is spent but counts nothing: the caller counts later (see countAgainst). */
    mode?: "count" | "peek";
  },
): Promise<void> {
  const outcome = await requestLimitOutcome(c.get("deps"), policy);
  for (const [name, value] of outcome.headers) c.header(name, value);
  if (outcome.refusal) throw outcome.refusal;
}

/**
 * `enforceRequestLimit` without a Hono context (node-listener.ts answers the hot member read without one): the headers
 * to send, and the refusal when the limit is spent.
 */
export async function requestLimitOutcome(
  deps: Pick<Deps, "limiter" | "log" | "realClock">,
  policy: RequestPolicy & { mode?: "count" | "peek" },
): Promise<{ headers: [string, string][]; refusal?: ApiError }> {
  const rule = { limit: policy.perMinute, windowMs: minute };
  const key = `request:${policy.key}`;
  const result = policy.mode === "peek" ? await deps.limiter.peek(key, rule) : await deps.limiter.check(key, rule, 1);
  if (result.outcome === "unavailable") {
    deps.log("warn", "request limiter unavailable: failing open", { key: policy.key, reason: result.reason });
    return { headers: [] };
  }
  const seconds = Math.max(0, Math.ceil((result.resetAt - deps.realClock.now().getTime()) / 1000));
  const headers: [string, string][] = [
    ["RateLimit-Policy", `"${policy.name}";q=${policy.perMinute};w=60`],
    ["RateLimit", `"${policy.name}";r=${result.remaining};t=${seconds}`],
  ];
  if (result.outcome !== "limited") return { headers };
  const refusal = new ApiError(
    "rate_limited",
    `More than ${policy.perMinute} requests per minute; retry in ${Math.max(1, seconds)} s.`,
    {
      headers: {
        "Retry-After": String(Math.max(1, seconds)),
        "RateLimit-Policy": `"${policy.name}";q=${policy.perMinute};w=60`,
        RateLimit: `"${policy.name}";r=0;t=${seconds}`,
      },
    },
  );
  return { headers, refusal };
}

/** Counts one unit against a policy that was only peeked at, e.g. a failed sign-in; never refuses. */
export async function countAgainst<E extends AppEnv>(c: Context<E>, policy: RequestPolicy): Promise<void> {
  const result = await c
    .get("deps")
    .limiter.check(`request:${policy.key}`, { limit: policy.perMinute, windowMs: minute });
  if (result.outcome === "unavailable")
    c.get("deps").log("warn", "request limiter unavailable: failing open", { key: policy.key, reason: result.reason });
}

/**
 * The caller's address: the header the platform sets (`CF-Connecting-IP` on Workers), else the socket's
 * address on Node, or the first `X-Forwarded-For` hop when TRUST_FORWARDED_FOR says a proxy in front sets it
 * honestly. On Node no header is trusted unless so configured: a client could rotate it at will.
 */
export function clientAddress<E extends AppEnv>(c: Context<E>): string {
  const { config, platformAddressHeader } = c.get("deps");
  if (platformAddressHeader) {
    const platform = c.req.header(platformAddressHeader);
    if (platform) return platform;
  }
  if (config.TRUST_FORWARDED_FOR) {
    const forwarded = c.req.header("X-Forwarded-For")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}
