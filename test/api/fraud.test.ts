import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Limiter } from "../../gateway/src/limits/limiter";
import { setupConversion } from "../support/conversions";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, setupProgram } from "../support/ledger";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

const count = async (table: string) =>
  (await gw.deps.db.get<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))?.n ?? 0;

async function setRules(programId: string, rules: Record<string, unknown>) {
  const response = await gw.call("PUT", `/v1/programs/${programId}/velocity-rules`, {
    token: await gw.operatorToken(),
    body: rules,
  });
  if (response.status !== 200) throw new Error(`rules: ${response.status} ${response.text}`);
  return response.body;
}

describe("request limits", () => {
  it("limits each credential per minute with RateLimit headers, a 429 that changes nothing, and a reset", async () => {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const operator = await gw.operatorToken();
    await gw.call("PATCH", `/v1/partners/${owner.partner.id}`, { token: operator, body: { requests_per_minute: 3 } });
    // A fresh credential of the partner, so the count starts at zero under the new limit.
    const credential = await gw.call("POST", `/v1/partners/${owner.partner.id}/credentials`, { token: operator });
    const token = await gw.token(credential.body.client_id, credential.body.client_secret);
    const path = `/v1/programs/${programId}/members/${member}`;
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const response = await gw.call("GET", path, { token });
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-policy")).toBe('"partner";q=3;w=60');
      seen.push(response.headers.get("ratelimit")?.replace(/;t=\d+$/, ""));
    }
    expect(seen).toEqual(['"partner";r=2', '"partner";r=1', '"partner";r=0']);
    const before = await count("ledger_transactions");
    const limited = await move("earn", member, 10, { token });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "rate_limited", status: 429 });
    expect(limited.headers.get("should-retry")).toBe("true");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit")).toMatch(/^"partner";r=0;/);
    expect(await count("ledger_transactions")).toBe(before);
    const other = await gw.onboardPartner();
    expect((await gw.call("GET", "/v1/programs", { token: other.token })).status).toBe(200);
    gw.clock.advance(2 * 60_000);
    expect(
      (await gw.call("GET", path, { token: await gw.token(credential.body.client_id, credential.body.client_secret) }))
        .status,
    ).toBe(200);
  });

  it("limits failed token requests per client id and address and per address, so a stranger never locks out the owner", async () => {
    const strict = await createTestGateway({ RATE_LIMIT_TOKEN_REQUESTS_PER_MINUTE: "5", TRUST_FORWARDED_FOR: "true" });
    try {
      const operator = await strict.operatorToken();
      const onboard = async (name: string) => {
        const partner = await strict.call("POST", "/v1/partners", {
          token: operator,
          body: { name, contact_email: "dev@partner.example" },
        });
        return partner.body.credentials as { client_id: string; client_secret: string };
      };
      const attempt = (address: string, clientId: string, secret = "wrong") =>
        strict.call("POST", "/oauth/token", {
          body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}`,
          headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address },
        });

      // A stranger guessing the victim's secret from one address is stopped after 5 failures...
      const victim = await onboard("Victim Airline");
      const guesses = [];
      for (let i = 0; i < 61; i++) guesses.push((await attempt("203.0.113.7", victim.client_id)).status);
      expect(guesses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 429]);
      expect(new Set(guesses.slice(5))).toEqual(new Set([429]));
      const limited = await attempt("203.0.113.7", victim.client_id);
      expect(limited.body.code).toBe("rate_limited");
      expect(limited.headers.get("ratelimit-policy")).toBe('"token-client-failures";q=5;w=60');
      // ...and the owner of the secret, at its own address, still gets its token.
      expect((await attempt("192.0.2.44", victim.client_id, victim.client_secret)).status).toBe(200);

      // Spraying client ids from one address stops at five times the limit.
      const spray = [];
      for (let i = 0; i < 27; i++) spray.push((await attempt("203.0.113.8", `ci_guess_${i}`)).status);
      expect(spray.slice(0, 25)).toEqual(Array(25).fill(401));
      expect(spray.slice(25)).toEqual([429, 429]);
      expect((await attempt("203.0.113.8", "ci_guess_x")).headers.get("ratelimit-policy")).toBe(
        '"token-failures";q=25;w=60',
      );

      // Successes do not count against an address: many partners behind one proxy share it.
      const successes = [];
      for (let i = 0; i < 7; i++) {
        const { client_id, client_secret } = await onboard(`Proxy Partner ${i}`);
        successes.push((await attempt("192.0.2.10", client_id, client_secret)).status);
      }
      expect(successes).toEqual([200, 200, 200, 200, 200, 200, 200]);

      // Tokens issued per client id are limited too, which only the holder of the secret can spend.
      const busy = await onboard("Busy Partner");
      const issued = [];
      for (let i = 0; i < 6; i++)
        issued.push((await attempt(`198.51.100.${i}`, busy.client_id, busy.client_secret)).status);
      expect(issued).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      await strict.close();
    }
  });
});

describe("velocity rules", () => {
  it("stores the rules and answers them back, with what each breach does", async () => {
    const { programId } = await setupProgram(gw);
    const saved = await setRules(programId, {
      max_earn_points_per_member_per_day: 1000,
      max_burns_per_member_per_hour: 2,
      actions: { max_burns_per_member_per_hour: "hold" },
    });
    expect(saved).toMatchObject({
      program_id: programId,
      max_earn_points_per_member_per_day: 1000,
      max_burns_per_member_per_hour: 2,
      max_conversion_points_per_member_per_day: null,
      review_threshold_points: null,
      hold_first_conversion_to_new_destination: false,
      actions: { max_burns_per_member_per_hour: "hold", max_conversion_points_per_member_per_day: "hold" },
    });
    const read = await gw.call("GET", `/v1/programs/${programId}/velocity-rules`, { token: await gw.operatorToken() });
    expect(read.body).toEqual(saved);
    const bad = await gw.call("PUT", `/v1/programs/${programId}/velocity-rules`, {
      token: await gw.operatorToken(),
      body: { max_earn_points_per_member_per_day: -1 },
    });
    expect(bad.status).toBe(400);
  });

  it("rejects earns over the daily points with 429 naming the rule, writes nothing, and records a fraud event", async () => {
    const { programId, enrol, move, balance, owner } = await setupProgram(gw);
    await gw.call("PATCH", `/v1/partners/${owner.partner.id}`, {
      token: await gw.operatorToken(),
      body: { requests_per_minute: 100_000 },
    });
    const member = await enrol();
    await setRules(programId, { max_earn_points_per_member_per_day: 1000 });
    expect((await move("earn", member, 600)).status).toBe(201);
    const before = await count("ledger_transactions");
    const over = await move("earn", member, 500);
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: "earn_limit_exceeded", rule: "max_earn_points_per_member_per_day" });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // The window lasts until the member's day ends: sending it again soon cannot succeed.
    expect(over.headers.get("should-retry")).toBe("false");
    expect(await count("ledger_transactions")).toBe(before);
    expect((await move("earn", member, 400)).status).toBe(201);
    expect((await balance(member)).available).toBe(1000);
    const events = await gw.call(
      "GET",
      `/v1/fraud-events?rule=max_earn_points_per_member_per_day&partner_id=${owner.partner.id}`,
      {
        token: await gw.operatorToken(),
      },
    );
    expect(events.body.data).toEqual([
      expect.objectContaining({ decision: "rejected", operation: "earn", points: 500, review_id: null }),
    ]);
  });

  it("holds burns over the hourly count when the rule says hold; the operator approves one and rejects another", async () => {
    const { programId, enrol, move, balance, owner } = await setupProgram(gw);
    const member = await enrol();
    await move("earn", member, 1000);
    await setRules(programId, { max_burns_per_member_per_hour: 1, actions: { max_burns_per_member_per_hour: "hold" } });
    expect((await move("burn", member, 100)).status).toBe(201);
    const held = await move("burn", member, 200);
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({
      type: "hold",
      status: "held",
      points: 200,
      balance_after: 700,
      review_id: expect.stringMatching(/^rev_/),
    });
    const second = await move("burn", member, 300);
    expect(second.status).toBe(202);
    expect(await balance(member)).toMatchObject({ available: 400, pending: 500 });
    const operator = await gw.operatorToken();
    const approved = await gw.call("POST", `/v1/reviews/${held.body.review_id}/approve`, {
      token: operator,
      body: { reason: "ok" },
    });
    expect(approved.body).toMatchObject({
      kind: "burn",
      status: "approved",
      transaction: { type: "burn", points: 200, balance_after: 400 },
    });
    const rejected = await gw.call("POST", `/v1/reviews/${second.body.review_id}/reject`, { token: operator });
    expect(rejected.body).toMatchObject({
      status: "rejected",
      transaction: { type: "release", points: 300, balance_after: 700 },
    });
    expect(await balance(member)).toMatchObject({ available: 700, pending: 0 });
    const fraud = await gw.call("GET", `/v1/fraud-events?member_id=${held.body.member_id}&decision=held`, {
      token: operator,
    });
    expect(fraud.body.data.map((e: { rule: string }) => e.rule)).toEqual([
      "max_burns_per_member_per_hour",
      "max_burns_per_member_per_hour",
    ]);
    expect(owner.partner.id).toBe(held.body.partner_id);
  });

  it("holds single burns above the review threshold", async () => {
    const { programId, enrol, move, balance } = await setupProgram(gw);
    const member = await enrol();
    await move("earn", member, 10_000);
    await setRules(programId, { review_threshold_points: 5_000 });
    expect((await move("burn", member, 5_000)).status).toBe(201);
    const held = await move("burn", member, 5_001);
    expect(held.status).toBe(409); // only 5,000 left: the CHECK refuses before anything is held
    const fits = await move("burn", member, 4_999);
    expect(fits.status).toBe(201);
    await move("earn", member, 9_000);
    const big = await move("burn", member, 6_000);
    expect(big.status).toBe(202);
    expect(await balance(member)).toMatchObject({ available: 3_001, pending: 6_000 });
  });

  it("holds a member draining points through many small conversions, after the daily conversion maximum", async () => {
    const setup = await setupConversion(gw, { min_points: 100, increment: 100 });
    await setup.fund(5_000);
    await setRules(setup.hotel.programId, { max_conversion_points_per_member_per_day: 1_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await setup.execute((await setup.quote(200)).body.id)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 202, 202, 202]);
    expect(await setup.balances()).toMatchObject({
      guest: { available: 3_400, pending: 600 },
      flyer: { available: 600 },
    });
    const queue = await gw.call("GET", "/v1/reviews?status=pending&limit=100", { token: await gw.operatorToken() });
    expect(
      queue.body.data.filter((r: { rule: string }) => r.rule === "max_conversion_points_per_member_per_day").length,
    ).toBeGreaterThanOrEqual(3);
  });

  it("holds the first conversion to a destination the member never converted to, then lets the next through", async () => {
    const setup = await setupConversion(gw);
    await setup.fund(5_000);
    await setRules(setup.hotel.programId, { hold_first_conversion_to_new_destination: true });
    const first = await setup.execute((await setup.quote(1_000)).body.id);
    expect(first.status).toBe(202);
    const reviews = await gw.call("GET", "/v1/reviews?status=pending&limit=100", { token: await gw.operatorToken() });
    expect(reviews.body.data.find((r: { id: string }) => r.id === first.body.review_id)).toMatchObject({
      rule: "first_conversion_to_new_destination",
    });
    await gw.call("POST", `/v1/reviews/${first.body.review_id}/approve`, { token: await gw.operatorToken() });
    const next = await setup.execute((await setup.quote(1_000)).body.id);
    expect(next.status).toBe(201);
  });
});

describe("when the limiter cannot answer", () => {
  const unanswered = async () => ({ outcome: "unavailable" as const, reason: "redis unreachable" });
  const unavailable: Limiter = { check: unanswered, peek: unanswered };

  it("lets requests through (fail open) but holds burns and refuses earns (money rules fail closed)", async () => {
    const down = await createTestGateway({}, { limiter: unavailable });
    try {
      const { programId, enrol, move, balance } = await setupProgram(down);
      const member = await enrol();
      await move("earn", member, 500);
      await down.call("PUT", `/v1/programs/${programId}/velocity-rules`, {
        token: await down.operatorToken(),
        body: { max_earn_points_per_member_per_day: 10_000, max_burns_per_member_per_hour: 100 },
      });
      const earn = await move("earn", member, 10);
      expect(earn.status).toBe(503);
      expect(earn.body.code).toBe("service_unavailable");
      const burned = await move("burn", member, 50);
      expect(burned.status).toBe(202);
      expect(await balance(member)).toMatchObject({ available: 450, pending: 50 });
      const events = await down.call("GET", "/v1/fraud-events?rule=limiter_unavailable", {
        token: await down.operatorToken(),
      });
      expect(events.body.data.map((e: { decision: string; operation: string }) => [e.operation, e.decision])).toEqual([
        ["burn", "held"],
        ["earn", "rejected"],
      ]);
      expect(down.logs.some((line) => line.message === "request limiter unavailable: failing open")).toBe(true);
    } finally {
      await down.close();
    }
  });
});
