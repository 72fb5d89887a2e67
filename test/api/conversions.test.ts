import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupConversion } from "../support/conversions";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants } from "../support/ledger";
import { itIsOperatorOnly } from "../support/route-security";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

describe("conversion rates", () => {
  itIsOperatorOnly(
    () => gw,
    () => [
      { method: "POST", path: "/v1/conversion-rates", body: {} },
      { method: "GET", path: "/v1/reviews" },
      { method: "POST", path: "/v1/reviews/rev_x/approve" },
      { method: "POST", path: "/v1/reviews/rev_x/reject" },
    ],
  );

  it("lists rates with the one in force marked, a newer one superseding the older from its valid_from", async () => {
    const setup = await setupConversion(gw);
    const operator = await gw.operatorToken();
    const later = new Date(gw.clock.now().getTime() + 3_600_000).toISOString();
    await gw.call("POST", "/v1/conversion-rates", {
      token: operator,
      body: {
        ...pair(setup),
        from_points: 1_000,
        to_points: 700,
        min_points: 1_000,
        increment: 1_000,
        fee_bps: 0,
        valid_from: later,
      },
    });
    const listed = async () =>
      (
        await gw.call("GET", `/v1/conversion-rates?from_program_id=${setup.hotel.programId}`, {
          token: await gw.operatorToken(),
        })
      ).body.data.map((r: { to_points: number; status: string }) => [r.to_points, r.status]);
    expect(await listed()).toEqual([
      [700, "scheduled"],
      [600, "in_force"],
    ]);
    gw.clock.advance(2 * 3_600_000);
    expect(await listed()).toEqual([
      [700, "in_force"],
      [600, "superseded"],
    ]);
  });

  it("refuses bad rates: same program, zero ratio, fee of 100%, unknown program", async () => {
    const setup = await setupConversion(gw);
    const operator = await gw.operatorToken();
    const base = { ...pair(setup), from_points: 1, to_points: 1, min_points: 1, increment: 1, fee_bps: 0 };
    for (const [body, path] of [
      [{ ...base, to_program_id: setup.hotel.programId }, "to_program_id"],
      [{ ...base, to_points: 0 }, "to_points"],
      [{ ...base, fee_bps: 10_000 }, "fee_bps"],
      [{ ...base, from_points: 1.5 }, "from_points"],
    ] as const) {
      const response = await gw.call("POST", "/v1/conversion-rates", { token: operator, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors[0].path).toBe(path);
    }
    const unknown = await gw.call("POST", "/v1/conversion-rates", {
      token: operator,
      body: { ...base, to_program_id: "prg_nope" },
    });
    expect(unknown.status).toBe(404);
  });
});

describe("quotes and conversions", () => {
  it("converts atomically: both legs, both balances, the settlement obligation and events for both partners", async () => {
    const setup = await setupConversion(gw, { fee_bps: 150 });
    await setup.fund(10_000);
    const quote = await setup.quote(5_000);
    expect(quote.status).toBe(201);
    expect(quote.body).toMatchObject({
      from_points: 5_000,
      fee_points: 75,
      to_points: 2_955,
      rate: { from_points: 1_000, to_points: 600, fee_bps: 150 },
    });
    expect(new Date(quote.body.expires_at).getTime() - gw.clock.now().getTime()).toBe(60_000);

    const conversion = await setup.execute(quote.body.id);
    expect(conversion.status).toBe(201);
    expect(conversion.body).toMatchObject({
      status: "completed",
      quote_id: quote.body.id,
      review_id: null,
      from_points: 5_000,
      to_points: 2_955,
      settlement: {
        payer_program_id: setup.hotel.programId,
        payee_program_id: setup.airline.programId,
        points: 2_955,
        price_micros: 15_000,
        currency: "USD",
      },
    });
    expect(await setup.balances()).toMatchObject({
      guest: { available: 5_000 },
      flyer: { available: 2_955, lifetime_earned: 0 },
    });

    const legs = await gw.deps.db.all<{ type: string; program_id: string; points: number }>(
      sql`select type, program_id, points from ledger_transactions where reference = ${conversion.body.id} order by type`,
    );
    expect(legs).toEqual([
      { type: "conversion_in", program_id: setup.airline.programId, points: 2_955 },
      { type: "conversion_out", program_id: setup.hotel.programId, points: 5_000 },
    ]);
    const events = await gw.deps.db.all<{ partner_id: string }>(
      sql`select partner_id from events where type = 'conversion.completed' and payload like ${`%${conversion.body.id}%`}`,
    );
    expect(events.map((e) => e.partner_id).sort()).toEqual(
      [setup.hotel.owner.partner.id, setup.airline.owner.partner.id].sort(),
    );

    for (const side of [setup.hotel.owner, setup.airline.owner]) {
      const read = await gw.call("GET", `/v1/conversions/${conversion.body.id}`, {
        token: await gw.token(side.clientId, side.secret),
      });
      expect(read.status).toBe(200);
      expect(read.body.status).toBe("completed");
    }
    const stranger = await gw.onboardPartner();
    expect((await gw.call("GET", `/v1/conversions/${conversion.body.id}`, { token: stranger.token })).status).toBe(404);
  });

  it("refuses amounts below the minimum or off the increment with 400 naming the allowed values", async () => {
    const setup = await setupConversion(gw);
    await setup.fund(10_000);
    const below = await setup.quote(500);
    expect(below.status).toBe(400);
    expect(below.body.errors).toEqual([
      { path: "from_points", message: "must be at least 1000 (then in steps of 1000)" },
    ]);
    const off = await setup.quote(2_500);
    expect(off.body.errors[0].message).toBe("must be a multiple of 1000: 2000 or 3000");
    const poor = await setup.quote(20_000);
    expect(poor.status).toBe(409);
    expect(poor.body.code).toBe("insufficient_points");
  });

  it("lets only one of two conversions racing for the same points through", async () => {
    const setup = await setupConversion(gw);
    await setup.fund(3_000);
    const [first, second] = [await setup.quote(2_000), await setup.quote(2_000)];
    const results = await Promise.all([setup.execute(first?.body.id), setup.execute(second?.body.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe("insufficient_points");
    expect(await setup.balances()).toMatchObject({ guest: { available: 1_000 }, flyer: { available: 1_200 } });
  });

  it("keeps a quote's rate when a newer rate starts before it is executed", async () => {
    const setup = await setupConversion(gw);
    await setup.fund(4_000);
    const quote = await setup.quote(2_000);
    await gw.call("POST", "/v1/conversion-rates", {
      token: await gw.operatorToken(),
      body: { ...pair(setup), from_points: 1_000, to_points: 900, min_points: 1_000, increment: 1_000, fee_bps: 0 },
    });
    const executed = await setup.execute(quote.body.id);
    expect(executed.body).toMatchObject({ to_points: 1_200, rate: { to_points: 600 } });
    const fresh = await setup.quote(2_000);
    expect(fresh.body).toMatchObject({ to_points: 1_800, rate: { to_points: 900 } });
  });

  it("answers 409 quote_expired after the quote's time, 409 conflict for a used quote, and replays a retried execution", async () => {
    const setup = await setupConversion(gw);
    await setup.fund(5_000);
    const late = await setup.quote(1_000);
    gw.clock.advance(61_000);
    const expired = await setup.execute(late.body.id);
    expect(expired.status).toBe(409);
    expect(expired.body.code).toBe("quote_expired");

    const quote = await setup.quote(1_000);
    const key = "convert-once";
    const first = await setup.execute(quote.body.id, key);
    const retry = await setup.execute(quote.body.id, key);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const reused = await setup.execute(quote.body.id);
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe("conflict");
    expect((await setup.balances()).guest.available).toBe(4_000);
  });

  it("holds the daily maximum across several conversions, and frees it the next day", async () => {
    gw.clock.set("2026-05-10T08:00:00.000Z");
    const setup = await setupConversion(gw, { max_points_per_day: 3_000 });
    await setup.fund(10_000);
    expect((await setup.execute((await setup.quote(2_000)).body.id)).status).toBe(201);
    expect((await setup.execute((await setup.quote(1_000)).body.id)).status).toBe(201);
    const over = await setup.quote(1_000);
    expect(over.status).toBe(400);
    expect(over.body.errors[0].message).toMatch(/daily maximum/);
    gw.clock.set("2026-05-11T00:00:01.000Z");
    const nextDay = await setup.quote(3_000);
    expect(nextDay.status).toBe(201);
    const tooMuch = await setup.quote(1_000);
    expect(tooMuch.status).toBe(201); // quoted before the first executes; the execution enforces the limit
    expect((await setup.execute(nextDay.body.id)).status).toBe(201);
    const refused = await setup.execute(tooMuch.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/maximum/);
    expect((await setup.balances()).guest.available).toBe(4_000);
  });

  it("needs a burn agreement in the source program and an existing destination member", async () => {
    const setup = await setupConversion(gw);
    await setup.fund(2_000);
    const missing = await setup.quote(1_000, { to_external_id: "NOBODY-1" });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/NOBODY-1/);
    const stranger = await gw.onboardPartner();
    const foreign = await gw.call("POST", "/v1/conversions/quotes", {
      token: stranger.token,
      body: { ...pair(setup), from_external_id: setup.guest, to_external_id: setup.flyer, from_points: 1_000 },
    });
    expect(foreign.status).toBe(404);
    const quote = await setup.quote(1_000);
    const stolen = await gw.call("POST", "/v1/conversions", {
      token: stranger.token,
      headers: { "Idempotency-Key": "steal" },
      body: { quote_id: quote.body.id },
    });
    expect(stolen.status).toBe(404);
  });
});

describe("held conversions", () => {
  it("holds above the review threshold, reserving the points, and completes on approval", async () => {
    const setup = await setupConversion(gw, {}, { review_threshold_points: 4_000 });
    await setup.fund(10_000);
    const held = await setup.execute((await setup.quote(5_000)).body.id);
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: "held", review_id: expect.stringMatching(/^rev_/) });
    expect(await setup.balances()).toMatchObject({
      guest: { available: 5_000, pending: 5_000 },
      flyer: { available: 0 },
    });
    const overspend = await setup.hotel.move("burn", setup.guest, 6_000, { token: await setup.token() });
    expect(overspend.status).toBe(409);

    const operator = await gw.operatorToken();
    const queue = await gw.call("GET", "/v1/reviews?status=pending", { token: operator });
    expect(queue.body.data).toContainEqual(
      expect.objectContaining({
        id: held.body.review_id,
        rule: "review_threshold",
        points: 5_000,
        conversion_id: held.body.id,
      }),
    );
    const approved = await gw.call("POST", `/v1/reviews/${held.body.review_id}/approve`, {
      token: operator,
      body: { reason: "Member confirmed by phone" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: "approved",
      decided_by: expect.stringMatching(/^op_/),
      decision_reason: "Member confirmed by phone",
      conversion: { status: "completed" },
    });
    expect(await setup.balances()).toMatchObject({
      guest: { available: 5_000, pending: 0 },
      flyer: { available: 3_000 },
    });
    const again = await gw.call("POST", `/v1/reviews/${held.body.review_id}/reject`, { token: operator });
    expect(again.status).toBe(409);
    const read = await gw.call("GET", `/v1/conversions/${held.body.id}`, { token: await setup.token() });
    expect(read.body).toMatchObject({ status: "completed", decided_at: expect.any(String) });
  });

  it("releases the points when rejected, and a concurrent double decision has one effect", async () => {
    const setup = await setupConversion(gw, {}, { review_threshold_points: 1_000 });
    await setup.fund(3_000);
    const held = await setup.execute((await setup.quote(2_000)).body.id);
    const operator = await gw.operatorToken();
    const decisions = await Promise.all([
      gw.call("POST", `/v1/reviews/${held.body.review_id}/reject`, {
        token: operator,
        body: { reason: "Unusual pattern" },
      }),
      gw.call("POST", `/v1/reviews/${held.body.review_id}/approve`, { token: operator }),
    ]);
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
    const winner = decisions.find((d) => d.status === 200)?.body;
    const expected =
      winner.status === "rejected"
        ? { guest: { available: 3_000, pending: 0 }, flyer: { available: 0 } }
        : { guest: { available: 1_000, pending: 0 }, flyer: { available: 1_200 } };
    expect(await setup.balances()).toMatchObject(expected);
    const events = await gw.deps.db.all<{ type: string }>(
      sql`select type from events where payload like ${`%${held.body.id}%`} order by id`,
    );
    expect(events.map((e) => e.type)).toContain(
      winner.status === "rejected" ? "conversion.rejected" : "conversion.completed",
    );
    expect(events.map((e) => e.type)).toContain("conversion.held");
  });
});

const pair = (setup: Awaited<ReturnType<typeof setupConversion>>) => ({
  from_program_id: setup.hotel.programId,
  to_program_id: setup.airline.programId,
});
