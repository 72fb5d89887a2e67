import { Ratelimit } from "@upstash/ratelimit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../gateway/src/clock";
import { inProcessLimiter } from "../../gateway/src/limits/in-process";
import type { Limiter, LimitResult } from "../../gateway/src/limits/limiter";
import { createUpstashRedis, upstashLimiter } from "../../gateway/src/limits/upstash";
import { closedPortUrl, type RedisRestServer, sleep, startRedisRestServer, startSilentServer } from "../support/redis";

/**
 * One contract, two backends: the in-process limiter and the Upstash one over a real Redis (through
 * @humanwhocodes/upstash-redis-server, so @upstash/ratelimit's own scripts run). Every test counts refusals:
 * a limiter that failed open (the library answers `success: true, reason: "timeout"` when Redis is away)
 * allows everything and fails them.
 */

let server: RedisRestServer;
beforeAll(async () => {
  server = await startRedisRestServer();
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

const START = Date.parse("2026-01-01T00:00:00.000Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let keyCount = 0;
const newKey = (label: string) => `${label}:${++keyCount}`;

interface Harness {
  limiter: Limiter;
  now(): number;
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/**
 * Both backends under a clock the test moves, starting on a window boundary. The in-process limiter reads the
 * injected ManualClock; @upstash/ratelimit reads Date.now(), which is faked here (only Date: timers, fetch
 * and Redis stay real) — the window and the weighting are computed from it and passed to the Lua script.
 */
const backends: { name: string; setup(): Harness }[] = [
  {
    name: "in-process",
    setup() {
      const clock = new ManualClock(new Date(START));
      return {
        limiter: inProcessLimiter(clock),
        now: () => clock.now().getTime(),
        advance: (ms) => clock.advance(ms),
      };
    },
  },
  {
    name: "upstash",
    setup() {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(START);
      return {
        limiter: upstashLimiter(server.client(), { prefix: server.prefix }),
        now: () => Date.now(),
        advance: (ms) => vi.setSystemTime(Date.now() + ms),
      };
    },
  },
];

const outcomes = (results: LimitResult[]) => ({
  allowed: results.filter((r) => r.outcome === "allowed").length,
  limited: results.filter((r) => r.outcome === "limited").length,
  unavailable: results.filter((r) => r.outcome === "unavailable").length,
});

async function burst(limiter: Limiter, key: string, rule: { limit: number; windowMs: number }, count: number) {
  return Promise.all(Array.from({ length: count }, () => limiter.check(key, rule)));
}

describe.each(backends)("$name limiter", (backend) => {
  let h: Harness;
  beforeEach(() => {
    h = backend.setup();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("allows exactly the limit out of a burst and refuses the rest", async () => {
    const rule = { limit: 10, windowMs: HOUR };
    const results = await burst(h.limiter, newKey("burst"), rule, 25);
    expect(outcomes(results)).toEqual({ allowed: 10, limited: 15, unavailable: 0 });
    // Each allowed check saw its own count: remaining 9, 8, ..., 0 once each.
    const remaining = results.flatMap((r) => (r.outcome === "allowed" ? [r.remaining] : [])).sort((a, b) => a - b);
    expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of results) {
      if (r.outcome === "unavailable") throw new Error("unavailable");
      expect(r.limit).toBe(10);
      expect(r.resetAt).toBe(START + HOUR); // the end of the current fixed window
    }
  });

  it("consumes costs, and a refused cost consumes nothing", async () => {
    const key = newKey("cost");
    const rule = { limit: 1000, windowMs: HOUR };
    expect(await h.limiter.check(key, rule, 400)).toMatchObject({ outcome: "allowed", remaining: 600 });
    expect(await h.limiter.check(key, rule, 400)).toMatchObject({ outcome: "allowed", remaining: 200 });
    expect(await h.limiter.check(key, rule, 400)).toMatchObject({ outcome: "limited", remaining: 0 });
    expect(await h.limiter.check(key, rule, 200)).toMatchObject({ outcome: "allowed", remaining: 0 });
    expect(await h.limiter.check(key, rule, 1)).toMatchObject({ outcome: "limited" });

    const big = newKey("cost-above-limit");
    expect(await h.limiter.check(big, rule, 1001)).toMatchObject({ outcome: "limited" });
    expect(await h.limiter.check(big, rule, 1000)).toMatchObject({ outcome: "allowed", remaining: 0 });
  });

  it("peeks without counting, and refuses a peek once the limit is spent", async () => {
    const key = newKey("peek");
    const rule = { limit: 2, windowMs: HOUR };
    for (let i = 0; i < 3; i++)
      expect(await h.limiter.peek(key, rule)).toMatchObject({ outcome: "allowed", remaining: 2 });
    await h.limiter.check(key, rule);
    expect(await h.limiter.peek(key, rule)).toMatchObject({ outcome: "allowed", remaining: 1 });
    await h.limiter.check(key, rule);
    expect(await h.limiter.peek(key, rule)).toMatchObject({ outcome: "limited", remaining: 0, resetAt: START + HOUR });
    h.advance(2 * HOUR);
    expect(await h.limiter.peek(key, rule)).toMatchObject({ outcome: "allowed", remaining: 2 });
  });

  it("counts costs and requests of one key together", async () => {
    const key = newKey("mixed");
    const rule = { limit: 10, windowMs: HOUR };
    expect(await h.limiter.check(key, rule, 8)).toMatchObject({ outcome: "allowed", remaining: 2 });
    expect(await h.limiter.check(key, rule)).toMatchObject({ outcome: "allowed", remaining: 1 });
    expect(await h.limiter.check(key, rule, 2)).toMatchObject({ outcome: "limited" });
    expect(await h.limiter.check(key, rule)).toMatchObject({ outcome: "allowed", remaining: 0 });
    expect(await h.limiter.check(key, rule)).toMatchObject({ outcome: "limited" });
  });

  it("keeps keys independent", async () => {
    const rule = { limit: 3, windowMs: HOUR };
    const [a, b] = [newKey("a"), newKey("b")];
    expect(outcomes(await burst(h.limiter, a, rule, 5))).toMatchObject({ allowed: 3, limited: 2 });
    expect(outcomes(await burst(h.limiter, b, rule, 5))).toMatchObject({ allowed: 3, limited: 2 });
    expect(outcomes(await burst(h.limiter, a, rule, 2))).toMatchObject({ allowed: 0, limited: 2 });
  });

  it("weighs the previous window by what is left of the current one", async () => {
    const key = newKey("sliding");
    const rule = { limit: 10, windowMs: MINUTE };
    expect(outcomes(await burst(h.limiter, key, rule, 10))).toMatchObject({ allowed: 10 });
    h.advance(MINUTE / 2); // same window: 10 used
    expect(await h.limiter.check(key, rule)).toMatchObject({ outcome: "limited", resetAt: START + MINUTE });
    h.advance(MINUTE / 2 + 0.3 * MINUTE); // 30% into the next window: floor(0.7 × 10) = 7 used
    expect(outcomes(await burst(h.limiter, key, rule, 5))).toMatchObject({ allowed: 3, limited: 2 });
    h.advance(0.7 * MINUTE); // start of the window after: the previous one (3) counts whole
    const next = await burst(h.limiter, key, rule, 10);
    expect(outcomes(next)).toMatchObject({ allowed: 7, limited: 3 });
    expect(next.find((r) => r.outcome === "limited")).toMatchObject({ resetAt: START + 3 * MINUTE });
  });

  it("allows the key again once the window has passed", async () => {
    const key = newKey("expiry");
    const rule = { limit: 5, windowMs: MINUTE };
    h.advance(12_345);
    expect(outcomes(await burst(h.limiter, key, rule, 6))).toMatchObject({ allowed: 5, limited: 1 });
    const refused = await h.limiter.check(key, rule);
    if (refused.outcome !== "limited") throw new Error(`expected limited, got ${refused.outcome}`);
    expect(refused.resetAt).toBe(START + MINUTE);
    h.advance(refused.resetAt + rule.windowMs - h.now()); // one whole window after resetAt
    expect(outcomes(await burst(h.limiter, key, rule, 6))).toMatchObject({ allowed: 5, limited: 1 });
  });

  it("lets a request through again just after resetAt", async () => {
    const key = newKey("retry-after");
    const rule = { limit: 5, windowMs: MINUTE };
    h.advance(40_000);
    expect(outcomes(await burst(h.limiter, key, rule, 5))).toMatchObject({ allowed: 5 });
    h.advance(MINUTE - 40_000); // exactly resetAt: the whole previous window still counts
    expect(await h.limiter.check(key, rule)).toMatchObject({ outcome: "limited", resetAt: START + 2 * MINUTE });
    h.advance(1); // floor((1 - 1/60000) × 5) = 4 used
    expect(outcomes(await burst(h.limiter, key, rule, 3))).toMatchObject({ allowed: 1, limited: 2 });
  });

  it("refuses nonsense costs and rules", async () => {
    await expect(h.limiter.check(newKey("bad"), { limit: 10, windowMs: HOUR }, 0)).rejects.toThrow(RangeError);
    await expect(h.limiter.check(newKey("bad"), { limit: 10, windowMs: HOUR }, 1.5)).rejects.toThrow(RangeError);
    await expect(h.limiter.check(newKey("bad"), { limit: 10, windowMs: 0 })).rejects.toThrow(RangeError);
  });
});

describe("in-process limiter memory", () => {
  it("drops expired windows by itself", async () => {
    const clock = new ManualClock(new Date(START));
    const limiter = inProcessLimiter(clock);
    const rule = { limit: 10, windowMs: MINUTE };
    for (let i = 0; i < 5000; i++) await limiter.check(`member:${i}`, rule);
    expect(limiter.size).toBeGreaterThan(900);
    expect(limiter.size).toBeLessThanOrEqual(5000);
    clock.advance(2 * MINUTE + 1001); // every counter has expired
    for (let i = 0; i < 10_000; i++) await limiter.check("steady", { limit: 1e9, windowMs: MINUTE });
    expect(limiter.size).toBeLessThanOrEqual(2);
  });
});

describe("upstash limiter on real time", () => {
  /** Waits until at least `marginMs` remain in the current window, so a burst does not straddle two windows. */
  async function awayFromWindowEnd(windowMs: number, marginMs: number) {
    const left = windowMs - (Date.now() % windowMs);
    if (left < marginMs) await sleep(left + 5);
  }

  it("allows the key again once a real window has passed", async () => {
    const limiter = upstashLimiter(server.client(), { prefix: server.prefix });
    const key = newKey("real-expiry");
    const rule = { limit: 5, windowMs: 1000 };
    const started = performance.now();
    await awayFromWindowEnd(rule.windowMs, 500);
    const first = await burst(limiter, key, rule, 8);
    expect(outcomes(first)).toEqual({ allowed: 5, limited: 3, unavailable: 0 });
    const refused = first.find((r) => r.outcome === "limited");
    if (refused?.outcome !== "limited") throw new Error("expected a refusal");
    expect(refused.resetAt % rule.windowMs).toBe(0);
    expect(refused.resetAt).toBeGreaterThan(Date.now());
    await sleep(refused.resetAt + rule.windowMs - Date.now() + 20);
    await awayFromWindowEnd(rule.windowMs, 500);
    expect(outcomes(await burst(limiter, key, rule, 8))).toEqual({ allowed: 5, limited: 3, unavailable: 0 });
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it("keeps the counts in Redis, under the prefix", async () => {
    const limiter = upstashLimiter(server.client(), { prefix: server.prefix });
    const key = newKey("in-redis");
    await awayFromWindowEnd(HOUR, 1000);
    const rule = { limit: 1000, windowMs: HOUR };
    await limiter.check(key, rule, 250);
    await limiter.check(key, rule, 7);
    await limiter.check(key, rule, 900); // refused: adds nothing
    const window = Math.floor(Date.now() / HOUR);
    expect(Number(await server.client().get(`${server.prefix}:${key}:${window}`))).toBe(257);
  });

  it("shares the count between two gateway processes", async () => {
    // Two clients and two limiters, as two gateway processes (or edge locations) would have.
    const one = upstashLimiter(server.client(), { prefix: server.prefix });
    const two = upstashLimiter(server.client(), { prefix: server.prefix });
    await awayFromWindowEnd(HOUR, 1000);
    const requests = { limit: 10, windowMs: HOUR };
    const key = newKey("shared");
    const results = await Promise.all([burst(one, key, requests, 10), burst(two, key, requests, 10)]);
    expect(outcomes(results.flat())).toEqual({ allowed: 10, limited: 10, unavailable: 0 });

    const amounts = { limit: 1000, windowMs: HOUR };
    const member = newKey("shared-amount");
    const spend = (limiter: Limiter) => Promise.all([1, 2, 3].map(() => limiter.check(member, amounts, 400)));
    const spent = (await Promise.all([spend(one), spend(two)])).flat();
    expect(outcomes(spent)).toEqual({ allowed: 2, limited: 4, unavailable: 0 });
    expect(await two.check(member, amounts, 200)).toMatchObject({ outcome: "allowed", remaining: 0 });
  });

  it("answers unavailable, never allowed, soon after Redis goes away mid-run", async () => {
    const own = await startRedisRestServer();
    try {
      const limiter = upstashLimiter(own.client(), { prefix: own.prefix });
      const rule = { limit: 2, windowMs: HOUR };
      const key = newKey("goes-away");
      await awayFromWindowEnd(HOUR, 1000);
      expect(outcomes(await burst(limiter, key, rule, 3))).toEqual({ allowed: 2, limited: 1, unavailable: 0 });
      await own.stop();
      for (const [checkKey, cost] of [
        [key, 1],
        [newKey("goes-away-fresh"), 1],
        [newKey("goes-away-amount"), 5],
      ] as const) {
        const started = performance.now();
        const result = await limiter.check(checkKey, rule, cost);
        expect(result.outcome).toBe("unavailable");
        expect(performance.now() - started).toBeLessThan(1500);
      }
    } finally {
      await own.stop();
    }
  });

  it("answers unavailable within its timeout when Redis hangs", async () => {
    const silent = await startSilentServer();
    try {
      const redis = createUpstashRedis(silent.url, "token", { responseEncoding: false });
      const rule = { limit: 10, windowMs: HOUR };

      let started = performance.now();
      expect(await upstashLimiter(redis).check(newKey("hangs"), rule)).toEqual({
        outcome: "unavailable",
        reason: "timeout",
      });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900); // the default timeout: 1000 ms
      expect(elapsed).toBeLessThan(1500);

      started = performance.now();
      const quick = await upstashLimiter(redis, { timeoutMs: 200 }).check(newKey("hangs"), rule, 50);
      expect(quick).toEqual({ outcome: "unavailable", reason: "timeout" });
      expect(performance.now() - started).toBeLessThan(600);

      // Why the mapping matters: the library itself lets the request through.
      const library = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(10, "1 h"), timeout: 200 });
      expect(await library.limit(newKey("hangs"))).toMatchObject({ success: true, reason: "timeout" });
    } finally {
      await silent.stop();
    }
  });

  it("answers unavailable when the REST endpoint is up but Redis is not, or nothing listens", async () => {
    const noRedis = await startRedisRestServer({
      redisUrl: await closedPortUrl().then((u) => u.replace("http", "redis")),
    });
    try {
      const started = performance.now();
      const result = await upstashLimiter(noRedis.client(), { timeoutMs: 300 }).check(newKey("no-redis"), {
        limit: 10,
        windowMs: HOUR,
      });
      expect(result.outcome).toBe("unavailable");
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await noRedis.stop();
    }

    const refused = createUpstashRedis(await closedPortUrl(), "token", { responseEncoding: false });
    const started = performance.now();
    const result = await upstashLimiter(refused).check(newKey("refused"), { limit: 10, windowMs: HOUR }, 3);
    expect(result).toMatchObject({ outcome: "unavailable", reason: expect.stringMatching(/^error: /) });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
