import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { validateCheck } from "./in-process";
import type { Limiter, LimitResult, LimitRule } from "./limiter";

/** The default key prefix: keys are `${prefix}:${key}:${window number}`. */
export const DEFAULT_LIMIT_PREFIX = "coalition-gateway:limit";

/** How long a check may wait for Redis before it answers `unavailable` (default 1000 ms). */
export const DEFAULT_LIMIT_TIMEOUT_MS = 1000;

type SlidingWindow = ReturnType<typeof Ratelimit.slidingWindow>;

/**
 * The sliding window of @upstash/ratelimit's `Ratelimit.slidingWindow`, except that a cost is consumed only
 * when it fits. The library's script checks `used >= limit` before it adds `rate`, so with a cost above 1 it
 * admits nothing but still adds the cost when `used < limit < used + cost` (limit 1000: 400, 400 pass, the
 * third 400 is refused yet counted, and a later 200 is refused too). This script checks `used + cost > limit`
 * first. Same keys, same weighting of the previous window, same expiry, same `#!lua` flag for Upstash (lock
 * only KEYS), so both scripts can count the same key. Returns {remaining, limit}; remaining -1 when refused.
 */
const costAwareSlidingWindowScript = `#!lua flags=allow-key-locking
  local currentKey  = KEYS[1]
  local previousKey = KEYS[2]
  local tokens      = tonumber(ARGV[1])
  local now         = tonumber(ARGV[2])
  local window      = tonumber(ARGV[3])
  local incrementBy = tonumber(ARGV[4])

  local requestsInCurrentWindow = tonumber(redis.call("GET", currentKey) or "0")
  local requestsInPreviousWindow = tonumber(redis.call("GET", previousKey) or "0")
  local percentageInCurrent = ( now % window ) / window
  requestsInPreviousWindow = math.floor(( 1 - percentageInCurrent ) * requestsInPreviousWindow)

  if requestsInPreviousWindow + requestsInCurrentWindow + incrementBy > tokens then
    return {-1, tokens}
  end

  local newValue = redis.call("INCRBY", currentKey, incrementBy)
  if newValue == incrementBy then
    redis.call("PEXPIRE", currentKey, window * 2 + 1000)
  end
  return {tokens - ( newValue + requestsInPreviousWindow ), tokens}
`;

/**
 * Rate limits shared by every process and edge location, in Upstash Redis through @upstash/ratelimit's sliding
 * window (`Ratelimit.slidingWindow(limit, window)`; a cost is the `rate` option).
 *
 * - Cost 1 (request limits) runs the library's own sliding-window script unchanged.
 * - Cost above 1 (amount rules) runs the same algorithm with the admission check fixed (see
 *   costAwareSlidingWindowScript), so a refused amount consumes nothing, as the in-process limiter does.
 * - `resetAt` is the library's `reset`: the end of the current fixed window. The sliding window forgets the
 *   current window's count gradually during the next one, so a refused key may pass before `resetAt` and
 *   is entirely free only one window after it.
 * - Unreachable or slow Redis: the library fails open after its `timeout` (success with reason "timeout");
 *   this maps that, and any error it throws, to `{ outcome: "unavailable" }` after at most `timeoutMs`. A
 *   request that timed out may still reach Redis later and count.
 * - No ephemeral cache: the library's per-instance cache refuses an identifier without asking Redis until
 *   the end of the fixed window once it was refused, which would refuse smaller costs that fit, refuse
 *   earlier than the sliding window does, and differ between processes.
 */
export function upstashLimiter(redis: Redis, options: { timeoutMs?: number; prefix?: string } = {}): Limiter {
  const timeout = options.timeoutMs ?? DEFAULT_LIMIT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new RangeError("timeoutMs must be a positive number");
  const prefix = options.prefix ?? DEFAULT_LIMIT_PREFIX;
  const costAwareScript = redis.createScript<[number, number]>(costAwareSlidingWindowScript);

  /** One pair of Ratelimit instances per rule: they differ only in limit and window. */
  const instances = new Map<string, { requests: Ratelimit; amounts: Ratelimit }>();
  const ratelimitsFor = (rule: LimitRule) => {
    const id = `${rule.limit}/${rule.windowMs}`;
    let pair = instances.get(id);
    if (!pair) {
      const settings = { redis, prefix, timeout, ephemeralCache: false as const, analytics: false };
      const stock = Ratelimit.slidingWindow(rule.limit, `${rule.windowMs} ms`);
      pair = {
        requests: new Ratelimit({ ...settings, limiter: stock }),
        amounts: new Ratelimit({ ...settings, limiter: costAwareSlidingWindow(stock, rule, costAwareScript) }),
      };
      instances.set(id, pair);
    }
    return pair;
  };

  return {
    async check(key, rule, cost = 1): Promise<LimitResult> {
      validateCheck(rule, cost);
      const { requests, amounts } = ratelimitsFor(rule);
      let response: Awaited<ReturnType<Ratelimit["limit"]>>;
      try {
        response = await (cost === 1 ? requests : amounts).limit(key, { rate: cost });
      } catch (error) {
        return { outcome: "unavailable", reason: `error: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (response.reason === "timeout") return { outcome: "unavailable", reason: "timeout" };
      if (response.success) {
        return { outcome: "allowed", limit: rule.limit, remaining: response.remaining, resetAt: response.reset };
      }
      return { outcome: "limited", limit: rule.limit, remaining: 0, resetAt: response.reset };
    },

    /** The library's `getRemaining` (its read-only sliding-window script), held to the same timeout. */
    async peek(key, rule): Promise<LimitResult> {
      validateCheck(rule, 1);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeout);
      });
      try {
        const response = await Promise.race([ratelimitsFor(rule).requests.getRemaining(key), timedOut]);
        if (response === "timeout") return { outcome: "unavailable", reason: "timeout" };
        if (response.remaining >= 1)
          return { outcome: "allowed", limit: rule.limit, remaining: response.remaining, resetAt: response.reset };
        return { outcome: "limited", limit: rule.limit, remaining: 0, resetAt: response.reset };
      } catch (error) {
        return { outcome: "unavailable", reason: `error: ${error instanceof Error ? error.message : String(error)}` };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The library's sliding window with costAwareSlidingWindowScript as its `limit`. */
function costAwareSlidingWindow(
  stock: SlidingWindow,
  rule: LimitRule,
  script: ReturnType<Redis["createScript"]>,
): SlidingWindow {
  return () => ({
    ...stock(),
    async limit(_ctx, identifier, rate) {
      const cost = rate ?? 1;
      const now = Date.now();
      const currentWindow = Math.floor(now / rule.windowMs);
      const keys = [`${identifier}:${currentWindow}`, `${identifier}:${currentWindow - 1}`];
      const [remaining, limit] = (await script.exec(keys, [
        String(rule.limit),
        String(now),
        String(rule.windowMs),
        String(cost),
      ])) as [number, number];
      return {
        success: remaining >= 0,
        limit,
        remaining: Math.max(0, remaining),
        reset: (currentWindow + 1) * rule.windowMs,
        pending: Promise.resolve(),
      };
    },
  });
}

/**
 * An @upstash/redis client for the limiter, on Node and on Workers alike (it speaks HTTP through `fetch`).
 *
 * Defaults suit a limiter that must answer within about a second: each HTTP request is aborted after
 * `requestTimeoutMs` (3000) so a hung connection does not linger after the limiter gave up, and a network
 * error is retried once (the library's default is 5 retries over about 4 s). `responseEncoding` stays the
 * library's default (base64) for Upstash; pass `false` for servers that answer plain JSON, such as
 * @humanwhocodes/upstash-redis-server in tests.
 */
export function createUpstashRedis(
  url: string,
  token: string,
  options: { responseEncoding?: false | "base64"; requestTimeoutMs?: number; retries?: number } = {},
): Redis {
  const requestTimeoutMs = options.requestTimeoutMs ?? 3000;
  return new Redis({
    url,
    token,
    responseEncoding: options.responseEncoding,
    retry: { retries: options.retries ?? 1, backoff: (retryCount) => 50 * 2 ** retryCount },
    signal: () => AbortSignal.timeout(requestTimeoutMs),
  });
}
