/**
 * A sliding-window limit: at most `limit` units per `windowMs`. A request limit counts requests (cost 1);
 * an amount limit consumes the amount (cost = points), as @upstash/ratelimit's `rate` option does.
 */
export type LimitRule = { limit: number; windowMs: number };

export type LimitResult =
  /**
   * Counted. `remaining` units are left. `resetAt` (ms since epoch) is the end of the current fixed window, as
   * @upstash/ratelimit reports it: from then on this window's count fades out over the next window, so it is
   * entirely free one window after `resetAt`.
   */
  | { outcome: "allowed"; limit: number; remaining: number; resetAt: number }
  /**
   * Over the limit: nothing was counted. Unless others use the key meanwhile, a cost of 1 fits again just
   * after `resetAt` (the Retry-After to give); a larger cost may wait longer, at most one more window.
   */
  | { outcome: "limited"; limit: number; remaining: 0; resetAt: number }
  /** The backend could not answer (Redis unreachable or slow). Callers decide: open or closed. */
  | { outcome: "unavailable"; reason: string };

/**
 * The rate limiter the gateway checks requests and velocity rules against. Two backends share these
 * semantics: Upstash Redis (shared by every process and edge location) and an in-process one (the
 * embedded default). Keys are namespaced by the caller, e.g. `request:ci_...` or `earn-points:mem_...`.
 */
export interface Limiter {
  /** Counts `cost` (default 1) against the key when it fits; a refused check counts nothing. */
  check(key: string, rule: LimitRule, cost?: number): Promise<LimitResult>;
  /**
   * Whether a check of cost 1 would pass now, counting nothing: for limits that count only some outcomes,
   * such as failed sign-ins, which must be refused before the attempt yet counted only after it fails.
   */
  peek(key: string, rule: LimitRule): Promise<LimitResult>;
}
