import { Webhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";
import { startReceiver } from "../support/receiver";

const DAY = 86_400_000;
const DAY_SECONDS = 86_400;

let gw: TestGateway;
let operator: string;
beforeAll(async () => {
  gw = await createTestGateway({ SANDBOX: "true", WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
  operator = await gw.operatorToken();
});
afterAll(async () => {
  await gw.close();
});

const readClock = (token = operator, g = gw) => g.call("GET", "/v1/sandbox/clock", { token });
const moveClock = (body: unknown, token = operator, g = gw) => g.call("POST", "/v1/sandbox/clock", { token, body });

describe("the sandbox clock", () => {
  it("starts at real time, and any valid token may read it", async () => {
    const fresh = await createTestGateway({ SANDBOX: "true" });
    try {
      const clock = await readClock(await fresh.operatorToken(), fresh);
      expect(clock.status).toBe(200);
      expect(clock.body).toEqual({ now: fresh.clock.now().toISOString(), offset_seconds: 0 });
      const partner = await fresh.onboardPartner();
      const narrow = await fresh.token(partner.clientId, partner.secret, "settlements:read");
      expect((await readClock(narrow, fresh)).body).toEqual(clock.body);
      expect((await fresh.call("GET", "/v1/sandbox/clock")).status).toBe(401);
    } finally {
      await fresh.close();
    }
  });

  it("moves forward by seconds or to a time, for the operator only, and answers the new time", async () => {
    const before = (await readClock()).body;
    const advanced = await moveClock({ advance_seconds: DAY_SECONDS });
    expect(advanced.status).toBe(200);
    expect(advanced.body.offset_seconds).toBe(before.offset_seconds + DAY_SECONDS);
    expect(Date.parse(advanced.body.now)).toBe(Date.parse(before.now) + DAY);

    const target = new Date(Date.parse(advanced.body.now) + 2 * DAY).toISOString();
    const moved = await moveClock({ time: target });
    expect(moved.status).toBe(200);
    expect(moved.body.now).toBe(target);
    expect(moved.body.offset_seconds).toBe(before.offset_seconds + 3 * DAY_SECONDS);
    // The business clock runs on with real time from there.
    gw.clock.advance(1_500);
    expect((await readClock()).body).toEqual({
      now: new Date(Date.parse(target) + 1_500).toISOString(),
      offset_seconds: moved.body.offset_seconds,
    });

    const partner = await gw.onboardPartner();
    const refused = await moveClock({ advance_seconds: DAY_SECONDS }, partner.token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");
    expect((await readClock()).body.offset_seconds).toBe(moved.body.offset_seconds);
  });

  it("never moves back, and says which field asked it to", async () => {
    const { now, offset_seconds } = (await readClock()).body;
    const cases: [unknown, string][] = [
      [{ time: new Date(Date.parse(now) - 1).toISOString() }, "time"],
      [{ time: "2020-01-01T00:00:00Z" }, "time"],
      [{ advance_seconds: -60 }, "advance_seconds"],
      [{ advance_seconds: 0 }, "advance_seconds"],
      [{ advance_seconds: 1.5 }, "advance_seconds"],
      [{ advance_seconds: 60, time: now }, "advance_seconds"],
      [{}, "advance_seconds"],
    ];
    for (const [body, field] of cases) {
      const answer = await moveClock(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.code).toBe("validation_failed");
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([field]);
    }
    expect((await readClock()).body).toEqual({ now, offset_seconds });
    // Moving to the very time it is now is no move back.
    expect((await moveClock({ time: now })).status).toBe(200);
  });

  it("keeps access tokens in real time while the business clock jumps a year ahead", async () => {
    const { owner, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    expect((await moveClock({ advance_seconds: 365 * DAY_SECONDS })).status).toBe(200);
    // The token issued before the jump still works, and a new one is issued at real time.
    const earned = await move("earn", member, 10);
    expect(earned.status).toBe(201);
    const [, payload = ""] = (await gw.token(owner.clientId, owner.secret)).split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    expect(claims.iat).toBe(Math.floor(gw.clock.now().getTime() / 1000));
    // What the partner sees happen goes by the business clock.
    expect(earned.body.created_at).toBe((await readClock()).body.now);
  });
});

describe("scheduled jobs on request", () => {
  it("expire points once the clock passes their expiry, with events signed in real time", async () => {
    const receiver = await startReceiver();
    try {
      const { owner, programId, enrol, move, balance } = await setupProgram(gw, { points_expire_after_days: 30 });
      const endpoint = await gw.call("POST", "/v1/webhook-endpoints", {
        token: owner.token,
        body: { url: receiver.url, event_types: ["points.expired"] },
      });
      expect(endpoint.status).toBe(201);
      const member = await enrol();
      const earned = await move("earn", member, 2_500);
      expect(earned.status).toBe(201);
      expect((await balance(member)).expiring).toEqual([{ points: 2_500, expires_at: earned.body.expires_at }]);

      const moved = await moveClock({ advance_seconds: 31 * DAY_SECONDS });
      expect(Date.parse(moved.body.now)).toBeGreaterThan(Date.parse(earned.body.expires_at));
      // Nothing runs by itself at the new time.
      expect((await balance(member)).available).toBe(2_500);

      const run = await gw.call("POST", "/v1/sandbox/jobs/run", { token: operator });
      expect(run.status).toBe(200);
      expect(run.body.now).toBe(moved.body.now);
      expect(run.body.jobs).toMatchObject({
        expiry: { expired_points: 2_500, members: 1 },
        idempotency_keys: { deleted: expect.any(Number) },
        sessions: { deleted: expect.any(Number) },
        sign_in_failures: { deleted: expect.any(Number) },
        // The expiry's event goes out in this run's webhook step, unless the background round that the clock move's
        // answer kicked (started at least 20 ms later) claimed it first: delivered once either way (below).
        webhooks: { attempts: expect.any(Number) },
      });
      expect(run.body.jobs.webhooks.attempts).toBeLessThanOrEqual(1);
      expect(await balance(member)).toMatchObject({ available: 0, lifetime_earned: 2_500, expiring: [] });
      const history = await gw.call("GET", `/v1/programs/${programId}/members/${member}/transactions`, {
        token: owner.token,
      });
      const expiry = history.body.data.find((transaction: { type: string }) => transaction.type === "expiry");
      expect(expiry).toMatchObject({ points: 2_500, balance_after: 0, expires_at: earned.body.expires_at });
      expect(Date.parse(expiry.created_at)).toBeGreaterThanOrEqual(Date.parse(moved.body.now));

      // The event tells business time; its signature real time, which receivers check against their own clock.
      const [delivered] = await receiver.waitFor(1);
      if (!delivered) throw new Error("no webhook");
      const event = new Webhook(endpoint.body.secret).verify(
        delivered.rawBody,
        delivered.headers as Record<string, string>,
      ) as { type: string; timestamp: string };
      expect(event.type).toBe("points.expired");
      expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(Date.parse(moved.body.now));

      // Run again: nothing more to expire.
      const again = await gw.call("POST", "/v1/sandbox/jobs/run", { token: operator });
      expect(again.body.jobs.expiry).toEqual({ expired_points: 0, members: 0 });
    } finally {
      await receiver.close();
    }
  });

  it("are the operator's to run", async () => {
    const partner = await gw.onboardPartner();
    const refused = await gw.call("POST", "/v1/sandbox/jobs/run", { token: partner.token });
    expect(refused.status).toBe(403);
    expect((await gw.call("POST", "/v1/sandbox/jobs/run")).status).toBe(401);
  });
});

describe("every instance of a sandbox deployment", () => {
  it("tells the same time once a move has answered", async () => {
    const other = await createTestGateway({ SANDBOX: "true", DATABASE_URL: gw.config.DATABASE_URL });
    try {
      // Two processes whose real clocks agree.
      other.clock.set(gw.clock.now());
      const otherOperator = await other.operatorToken();
      expect((await readClock(otherOperator, other)).body).toEqual((await readClock()).body);

      const moved = await moveClock({ advance_seconds: 7 * DAY_SECONDS });
      expect((await readClock(otherOperator, other)).body).toEqual(moved.body);

      const movedThere = await moveClock({ advance_seconds: 60 }, otherOperator, other);
      expect(movedThere.body.offset_seconds).toBe(moved.body.offset_seconds + 60);
      expect((await readClock()).body).toEqual(movedThere.body);

      // Concurrent moves all count.
      const both = await Promise.all([
        moveClock({ advance_seconds: 10 }),
        moveClock({ advance_seconds: 20 }, otherOperator, other),
      ]);
      expect(both.map((answer) => answer.status)).toEqual([200, 200]);
      expect((await readClock()).body.offset_seconds).toBe(movedThere.body.offset_seconds + 30);

      // The other process's movements are dated by the shared clock too.
      const { enrol, move } = await setupProgram(other);
      const earned = await move("earn", await enrol(), 5);
      expect(Date.parse(earned.body.created_at)).toBe(Date.parse((await readClock()).body.now));
    } finally {
      await other.close();
    }
  });

  it("serves portal pages by the shared clock: a hosted page opened here closes when another moves the clock", async () => {
    const other = await createTestGateway({ SANDBOX: "true", DATABASE_URL: gw.config.DATABASE_URL });
    try {
      other.clock.set(gw.clock.now());
      const { owner, programId, enrol } = await setupProgram(gw);
      const opened = await gw.call("POST", "/v1/member-sessions", {
        token: owner.token,
        body: { program_id: programId, external_id: await enrol() },
      });
      const page = new URL(opened.body.url).pathname;
      expect((await gw.app.request(page)).status).toBe(200);
      await moveClock({ advance_seconds: 16 * 60 }, await other.operatorToken(), other);
      expect((await gw.app.request(page)).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe("a deployment that is no sandbox", () => {
  it("answers 404 on the sandbox paths, leaves them out of its document, and says so in /health", async () => {
    const production = await createTestGateway();
    try {
      const token = await production.operatorToken();
      for (const [method, path] of [
        ["GET", "/v1/sandbox/clock"],
        ["POST", "/v1/sandbox/clock"],
        ["POST", "/v1/sandbox/jobs/run"],
      ] as const) {
        const answer = await production.call(method, path, { token, body: method === "POST" ? {} : undefined });
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(answer.body.code).toBe("not_found");
      }
      expect((await production.call("GET", "/health")).body).toMatchObject({ status: "ok", sandbox: false });
      const document = (await production.call("GET", "/openapi.json")).body;
      expect(Object.keys(document.paths).filter((path) => path.startsWith("/v1/sandbox"))).toEqual([]);
    } finally {
      await production.close();
    }
  });
});

describe("GET /health on a sandbox", () => {
  it("says it is a sandbox, and the sandbox operations are in the document", async () => {
    expect((await gw.call("GET", "/health")).body).toMatchObject({ status: "ok", sandbox: true });
    const document = (await gw.call("GET", "/openapi.json")).body;
    expect(document.paths["/v1/sandbox/clock"].post.operationId).toBe("advanceSandboxClock");
  });

  it("answers without reading the clock: 503 when the database is down, as anywhere", async () => {
    const down = await createTestGateway({ SANDBOX: "true" });
    await down.close();
    const health = await down.call("GET", "/health");
    expect(health.status).toBe(503);
    expect(health.body.code).toBe("service_unavailable");
  });
});
