import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey, setupProgram } from "../support/ledger";
import { type RedisRestServer, startRedisRestServer } from "../support/redis";

/**
 * The gateway configured exactly as at the edge (UPSTASH_REDIS_REST_URL and _TOKEN), against a real Redis
 * behind @humanwhocodes/upstash-redis-server, so @upstash/ratelimit's scripts run. Two gateways share one
 * database file and one Redis, as two edge locations share Turso and Upstash. Every test counts refusals: a
 * limiter that failed open would allow everything and fail them.
 */
let redis: RedisRestServer;
let east: TestGateway;
let west: TestGateway;
beforeAll(async () => {
  redis = await startRedisRestServer();
  const upstash = { UPSTASH_REDIS_REST_URL: redis.url, UPSTASH_REDIS_REST_TOKEN: redis.token };
  east = await createTestGateway(upstash);
  west = await createTestGateway({ ...upstash, DATABASE_URL: east.config.DATABASE_URL });
}, 30_000);
afterAll(async () => {
  await expectLedgerInvariants(east);
  await west?.close();
  await east?.close();
  await redis?.stop();
});

describe("limits shared by two gateways through one Redis", () => {
  it("holds one credential's request limit across both gateways", async () => {
    const { owner, programId, enrol } = await setupProgram(east);
    const member = await enrol();
    await east.call("PATCH", `/v1/partners/${owner.partner.id}`, {
      token: await east.operatorToken(),
      body: { requests_per_minute: 10 },
    });
    const credential = await east.call("POST", `/v1/partners/${owner.partner.id}/credentials`, {
      token: await east.operatorToken(),
    });
    const token = await east.token(credential.body.client_id, credential.body.client_secret);
    const path = `/v1/programs/${programId}/members/${member}`;
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? east : west).call("GET", path, { token })),
    );
    const count = (status: number) => statuses.filter((s) => s.status === status).length;
    expect({ ok: count(200), limited: count(429) }).toEqual({ ok: 10, limited: 20 });
    const limited = statuses.find((s) => s.status === 429);
    expect(limited?.body).toMatchObject({ code: "rate_limited" });
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("holds a member's daily earn maximum across both gateways", async () => {
    const { owner, programId, enrol, balance } = await setupProgram(east);
    const member = await enrol();
    await east.call("PUT", `/v1/programs/${programId}/velocity-rules`, {
      token: await east.operatorToken(),
      body: { max_earn_points_per_member_per_day: 1_000 },
    });
    const earns = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? east : west).call("POST", "/v1/transactions/earn", {
          token: owner.token,
          headers: { "Idempotency-Key": newKey() },
          body: { program_id: programId, external_id: member, points: 300, reference: `earn-${i}` },
        }),
      ),
    );
    expect(earns.map((e) => e.status).sort()).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
    expect(earns.find((e) => e.status === 429)?.body.rule).toBe("max_earn_points_per_member_per_day");
    expect((await balance(member)).available).toBe(900);
  });
});

describe("Redis stopped mid-run", () => {
  it("lets requests through but holds burns and refuses earns, and says why in the review queue and the logs", async () => {
    const own = await startRedisRestServer();
    const gw = await createTestGateway({ UPSTASH_REDIS_REST_URL: own.url, UPSTASH_REDIS_REST_TOKEN: own.token });
    try {
      const { programId, enrol, move, balance } = await setupProgram(gw);
      const member = await enrol();
      await gw.call("PUT", `/v1/programs/${programId}/velocity-rules`, {
        token: await gw.operatorToken(),
        body: { max_earn_points_per_member_per_day: 10_000, max_burns_per_member_per_hour: 100 },
      });
      expect((await move("earn", member, 500)).status).toBe(201);
      expect((await move("burn", member, 50)).status).toBe(201);

      await own.stop();
      expect((await balance(member)).available).toBe(450); // request limits fail open
      const earn = await move("earn", member, 10);
      expect(earn.status).toBe(503);
      expect(earn.body.code).toBe("service_unavailable");
      const burn = await move("burn", member, 40);
      expect(burn.status).toBe(202);
      expect(burn.body).toMatchObject({ status: "held", type: "hold" });
      expect(await balance(member)).toMatchObject({ available: 410, pending: 40 });
      const reviews = await gw.call("GET", "/v1/reviews?status=pending", { token: await gw.operatorToken() });
      expect(reviews.body.data[0]).toMatchObject({ id: burn.body.review_id, rule: "limiter_unavailable" });
      expect(gw.logs.some((line) => line.message === "request limiter unavailable: failing open")).toBe(true);
      expect(gw.logs.some((line) => line.message === "velocity limiter unavailable: failing closed")).toBe(true);
      await expectLedgerInvariants(gw);
    } finally {
      await gw.close();
      await own.stop();
    }
  });
});
