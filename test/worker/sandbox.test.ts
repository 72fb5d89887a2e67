import { env } from "cloudflare:workers";
import type { D1Database } from "@cloudflare/workers-types";
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../gateway/src/clock";
import { createWorker } from "../../gateway/src/worker";
import { call, callThrough, newKey, operator, unique } from "./support";

const DAY = 86_400_000;
const DAY_SECONDS = 86_400;

/**
 * A sandbox deployment on D1: two Worker instances (as two isolates would be) on a database of its own, each
 * with a manual real clock, both at the same instant.
 */
const bindings = { ...env, DB: env.SANDBOX_DB as D1Database, SANDBOX: "true" };
const start = "2026-05-01T00:00:00.000Z";
const east = callThrough(createWorker({ clock: new ManualClock(start) }), bindings);
const west = callThrough(createWorker({ clock: new ManualClock(start) }), bindings);

const tokenVia = async (send: typeof call, clientId: string, secret: string) => {
  const answer = await send("POST", "/oauth/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
  });
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${answer.text}`);
  return answer.body.access_token as string;
};

let eastOperator: string;
let westOperator: string;
beforeAll(async () => {
  // One after the other: the first request of each instance migrates and loads the keys.
  eastOperator = await tokenVia(east, operator.clientId, operator.secret);
  westOperator = await tokenVia(west, operator.clientId, operator.secret);
});

describe("a sandbox deployment on Workers", () => {
  it("says so in /health, while the default deployment is no sandbox and answers 404 on the sandbox paths", async () => {
    expect((await east("GET", "/health")).body).toMatchObject({ status: "ok", sandbox: true });
    expect((await call("GET", "/health")).body).toMatchObject({ status: "ok", sandbox: false });
    const token = await tokenVia(call, operator.clientId, operator.secret);
    for (const [method, path] of [
      ["GET", "/v1/sandbox/clock"],
      ["POST", "/v1/sandbox/clock"],
      ["POST", "/v1/sandbox/jobs/run"],
    ] as const) {
      const answer = await call(method, path, { token, body: method === "POST" ? {} : undefined });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.code).toBe("not_found");
    }
  });

  it("shares its clock between instances through D1, moved forward only", async () => {
    const before = await east("GET", "/v1/sandbox/clock", { token: eastOperator });
    expect(before.status).toBe(200);
    expect((await west("GET", "/v1/sandbox/clock", { token: westOperator })).body).toEqual(before.body);

    const moved = await east("POST", "/v1/sandbox/clock", {
      token: eastOperator,
      body: { advance_seconds: 2 * DAY_SECONDS },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.offset_seconds).toBe(before.body.offset_seconds + 2 * DAY_SECONDS);
    expect((await west("GET", "/v1/sandbox/clock", { token: westOperator })).body).toEqual(moved.body);

    const target = new Date(Date.parse(moved.body.now) + DAY).toISOString();
    const movedThere = await west("POST", "/v1/sandbox/clock", { token: westOperator, body: { time: target } });
    expect(movedThere.body.now).toBe(target);
    expect((await east("GET", "/v1/sandbox/clock", { token: eastOperator })).body).toEqual(movedThere.body);

    const back = await east("POST", "/v1/sandbox/clock", { token: eastOperator, body: { time: moved.body.now } });
    expect(back.status).toBe(400);
    expect(back.body.errors).toEqual([{ path: "time", message: expect.stringContaining(target) }]);
  });

  it("expires points when the operator runs the jobs past their expiry, whichever instance runs them", async () => {
    const created = await east("POST", "/v1/partners", {
      token: eastOperator,
      body: { name: unique("Partner"), contact_email: "dev@partner.example" },
    });
    const { client_id, client_secret } = created.body.credentials;
    const partner = await tokenVia(east, client_id, client_secret);
    const program = await east("POST", "/v1/programs", {
      token: eastOperator,
      body: {
        partner_id: created.body.id,
        name: unique("Program"),
        point_name: "mile",
        settlement_currency: "USD",
        issue_price_micros: 12_000,
        redeem_price_micros: 10_000,
        points_expire_after_days: 30,
      },
    });
    const programId = program.body.id;
    const member = unique("M");
    expect(
      (await east("POST", `/v1/programs/${programId}/members`, { token: partner, body: { external_id: member } }))
        .status,
    ).toBe(201);
    const earned = await east("POST", "/v1/transactions/earn", {
      token: partner,
      headers: { "Idempotency-Key": newKey() },
      body: { program_id: programId, external_id: member, points: 700, reference: unique("earn") },
    });
    expect(earned.status).toBe(201);
    expect((await east("GET", "/v1/sandbox/clock", { token: partner })).body.now).toBe(earned.body.created_at);

    const moved = await east("POST", "/v1/sandbox/clock", {
      token: eastOperator,
      body: { advance_seconds: 31 * DAY_SECONDS },
    });
    expect(Date.parse(moved.body.now)).toBeGreaterThan(Date.parse(earned.body.expires_at));
    const run = await west("POST", "/v1/sandbox/jobs/run", { token: westOperator });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ now: moved.body.now, jobs: { expiry: { expired_points: 700, members: 1 } } });

    const read = await east("GET", `/v1/programs/${programId}/members/${member}`, { token: partner });
    expect(read.body.balance).toMatchObject({ available: 0, lifetime_earned: 700, expiring: [] });
    const history = await west("GET", `/v1/programs/${programId}/members/${member}/transactions`, {
      token: partner,
    });
    expect(history.body.data.map((transaction: { type: string }) => transaction.type)).toEqual(["expiry", "earn"]);
    // The partner's token, issued before the clock ran 31 days ahead, still works: tokens keep real time.
    expect(history.status).toBe(200);
  });
});
