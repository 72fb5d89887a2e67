import type { Clock } from "../clock";
import type { Limiter, LimitResult, LimitRule } from "./limiter";

/** A counter of one fixed window of one key, as Redis holds it for @upstash/ratelimit. */
type Counter = { count: number; expiresAt: number };

/** An in-process limiter with its housekeeping exposed, for tests and metrics. */
export interface InProcessLimiter extends Limiter {
  /** Counters held now (each key has at most one per live window). */
  readonly size: number;
  /** Drops the counters that expired; runs by itself as checks go by. */
  sweep(): void;
}

/** Sweep after at least this many checks, or as many as there were counters after the last sweep. */
const MIN_CHECKS_BETWEEN_SWEEPS = 1024;

/**
 * Rate limits in this process: the embedded default (one Node process), and per isolate on Workers without
 * Upstash. The same semantics as the Upstash backend (./upstash.ts), which are @upstash/ratelimit's sliding
 * window with costs consumed only when they fit:
 *
 * - Time is cut into fixed windows of `windowMs` (window n = [n·w, (n+1)·w)); each key counts per window.
 * - At `now`, used = floor((1 − (now mod w) / w) · count of the previous window) + count of the current one.
 * - A check of `cost` passes when used + cost ≤ limit, and then adds `cost` to the current window; a refused
 *   check adds nothing. remaining = limit − used after it; `resetAt` = end of the current fixed window.
 * - A counter lives 2 windows + 1 s after its first unit, as the library's PEXPIRE does; expired counters are
 *   ignored at once and dropped by a sweep that runs every max(1024, counters) checks, so memory stays
 *   proportional to the keys active in the last two windows.
 *
 * Time comes from the injected clock, so tests and simulations can move it.
 */
export function inProcessLimiter(clock: Clock): InProcessLimiter {
  const counters = new Map<string, Counter>();
  let checksSinceSweep = 0;
  let sizeAfterSweep = 0;

  const read = (id: string, now: number): number => {
    const counter = counters.get(id);
    if (!counter) return 0;
    if (counter.expiresAt <= now) {
      counters.delete(id);
      return 0;
    }
    return counter.count;
  };

  const sweep = () => {
    const now = clock.now().getTime();
    for (const [id, counter] of counters) if (counter.expiresAt <= now) counters.delete(id);
    checksSinceSweep = 0;
    sizeAfterSweep = counters.size;
  };

  /** Counts `cost` when it fits, or with `dryRun` only says whether it would. */
  const check = (key: string, rule: LimitRule, cost: number, dryRun: boolean): LimitResult => {
    validateCheck(rule, cost);
    const now = clock.now().getTime();
    if (++checksSinceSweep >= Math.max(MIN_CHECKS_BETWEEN_SWEEPS, sizeAfterSweep)) sweep();

    const { limit, windowMs } = rule;
    const currentWindow = Math.floor(now / windowMs);
    const resetAt = (currentWindow + 1) * windowMs;
    // The same key layout as Redis (`key:window`), the window size added since one Map holds every rule.
    const currentId = `${windowMs}|${key}:${currentWindow}`;
    const current = read(currentId, now);
    const previous = read(`${windowMs}|${key}:${currentWindow - 1}`, now);
    const weightedPrevious = Math.floor((1 - (now % windowMs) / windowMs) * previous);

    if (weightedPrevious + current + cost > limit) return { outcome: "limited", limit, remaining: 0, resetAt };
    if (dryRun) return { outcome: "allowed", limit, remaining: limit - (current + weightedPrevious), resetAt };

    const counter = counters.get(currentId);
    if (counter) counter.count += cost;
    else counters.set(currentId, { count: cost, expiresAt: now + windowMs * 2 + 1000 });
    return { outcome: "allowed", limit, remaining: limit - (current + cost + weightedPrevious), resetAt };
  };

  return {
    check: async (key, rule, cost = 1) => check(key, rule, cost, false),
    peek: async (key, rule) => check(key, rule, 1, true),
    sweep,
    get size() {
      return counters.size;
    },
  };
}

/** Throws a RangeError for a rule or cost no backend can count: both backends check the same way. */
export function validateCheck(rule: LimitRule, cost: number): void {
  if (!Number.isSafeInteger(rule.limit) || rule.limit < 0) throw new RangeError("limit must be an integer >= 0");
  if (!Number.isSafeInteger(rule.windowMs) || rule.windowMs < 1)
    throw new RangeError("windowMs must be an integer >= 1");
  if (!Number.isSafeInteger(cost) || cost < 1) throw new RangeError("cost must be an integer >= 1");
}
