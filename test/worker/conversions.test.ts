import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createWorker } from "../../gateway/src/worker";
import {
  type Answer,
  call,
  callThrough,
  d1All,
  newKey,
  onboardPartner,
  operator,
  setupConversion,
  setupProgram,
  tokenFor,
} from "./support";

// The conversion tests of test/api/conversions.test.ts, on the Worker path: every request goes through the
// Worker's fetch handler inside workerd, every unit through d1Writer into the local D1 database (one D1
// batch), and every check of what was written reads D1 itself. The Worker runs on the system clock, so
// an expired quote is made by a second Worker instance started with QUOTE_TTL_SECONDS = 5 (the minimum).

let operatorToken: string;
beforeAll(async () => {
  operatorToken = await tokenFor(operator.clientId, operator.secret);
});

type Setup = Awaited<ReturnType<typeof setupConversion>>;

/** Statuses and codes of a set of answers, tallied: `{ "201": 1, "409 conflict": 9 }`. */
const tally = (answers: Answer[]) => {
  const result: Record<string, number> = {};
  for (const answer of answers) {
    const label = answer.status >= 400 ? `${answer.status} ${answer.body?.code}` : String(answer.status);
    result[label] = (result[label] ?? 0) + 1;
  }
  return result;
};

/** Balances of accounts as D1 holds them, by id (missing accounts are left out). */
const accountBalances = async (...ids: string[]) =>
  Object.fromEntries(
    (
      await d1All<{ id: string; balance: number }>(
        `select id, balance from accounts where id in (${ids.map(() => "?").join(", ")})`,
        ...ids,
      )
    ).map((row) => [row.id, row.balance]),
  );

/** The journal rows of a member, oldest first. */
const journal = (memberId: string) =>
  d1All<{ id: string; type: string; points: number; reference: string | null; original_transaction_id: string | null }>(
    "select id, type, points, reference, original_transaction_id from ledger_transactions where member_id = ? order by rowid",
    memberId,
  );

/** The outbox events about a conversion (their data is the conversion, or the review with it), by type and partner. */
const conversionEvents = async (conversionId: string) =>
  (
    await d1All<{ type: string; partner_id: string }>(
      `select type, partner_id from events
       where json_extract(payload, '$.data.id') = ? or json_extract(payload, '$.data.conversion_id') = ?
       order by rowid`,
      conversionId,
      conversionId,
    )
  ).map((event) => `${event.type} ${event.partner_id}`);

const owners = (setup: Setup) => [setup.hotel.owner.id, setup.airline.owner.id];

describe("conversion rates on D1", () => {
  it("are published by the operator only, listed with their status, and stored in D1", async () => {
    const setup = await setupConversion(operatorToken, { fee_bps: 150, max_points_per_day: 50_000 });
    expect(setup.rate).toMatchObject({
      id: expect.stringMatching(/^cvr_/),
      from_program_id: setup.hotel.programId,
      to_program_id: setup.airline.programId,
      from_points: 1_000,
      to_points: 600,
      min_points: 1_000,
      increment: 1_000,
      max_points_per_day: 50_000,
      fee_bps: 150,
      valid_until: null,
      status: "in_force",
    });
    expect(
      await d1All(
        `select from_program_id, to_program_id, from_points, to_points, min_points, increment, max_points_per_day,
                fee_bps, valid_until from conversion_rates where id = ?`,
        setup.rate.id,
      ),
    ).toEqual([
      {
        from_program_id: setup.hotel.programId,
        to_program_id: setup.airline.programId,
        from_points: 1_000,
        to_points: 600,
        min_points: 1_000,
        increment: 1_000,
        max_points_per_day: 50_000,
        fee_bps: 150,
        valid_until: null,
      },
    ]);

    const body = {
      from_program_id: setup.hotel.programId,
      to_program_id: setup.airline.programId,
      from_points: 1_000,
      to_points: 700,
      min_points: 1_000,
      increment: 1_000,
      fee_bps: 0,
    };
    const byPartner = await call("POST", "/v1/conversion-rates", { token: setup.hotel.owner.token, body });
    expect(byPartner.status).toBe(403);
    expect(byPartner.body.code).toBe("forbidden");
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await call("POST", "/v1/conversion-rates", {
      token: operatorToken,
      body: { ...body, valid_from: later },
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.status).toBe("scheduled");

    // A partner with conversions:write may read the rates of its pair, the newest valid_from first.
    const listed = await call("GET", `/v1/conversion-rates?from_program_id=${setup.hotel.programId}`, {
      token: setup.hotel.owner.token,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [scheduled.body.id, "scheduled"],
      [setup.rate.id, "in_force"],
    ]);
    // Quotes use the rate in force, not the scheduled one.
    await setup.fund(1_000);
    const quote = await setup.quote(1_000);
    expect(quote.status).toBe(201);
    expect(quote.body.rate).toEqual({ id: setup.rate.id, from_points: 1_000, to_points: 600, fee_bps: 150 });
  });
});

describe("quotes and conversions on D1", () => {
  it("converts atomically: both programs' legs, both balances, the settlement obligation and events for both owners", async () => {
    const setup = await setupConversion(operatorToken, { fee_bps: 150 });
    await setup.fund(10_000);
    const quote = await setup.quote(5_000);
    expect(quote.status).toBe(201);
    expect(quote.body).toMatchObject({
      id: expect.stringMatching(/^qt_/),
      from_points: 5_000,
      fee_points: 75,
      to_points: 2_955,
      rate: { id: setup.rate.id, from_points: 1_000, to_points: 600, fee_bps: 150 },
    });
    expect(Date.parse(quote.body.expires_at) - Date.parse(quote.body.created_at)).toBe(60_000);
    expect(
      await d1All(
        "select from_member_id, to_member_id, from_points, fee_points, to_points, expires_at - created_at as ttl from quotes where id = ?",
        quote.body.id,
      ),
    ).toEqual([
      {
        from_member_id: setup.guest.id,
        to_member_id: setup.flyer.id,
        from_points: 5_000,
        fee_points: 75,
        to_points: 2_955,
        ttl: 60_000,
      },
    ]);

    const conversion = await setup.execute(quote.body.id);
    expect(conversion.status).toBe(201);
    const id: string = conversion.body.id;
    expect(conversion.body).toMatchObject({
      id: expect.stringMatching(/^cnv_/),
      status: "completed",
      quote_id: quote.body.id,
      review_id: null,
      from_program_id: setup.hotel.programId,
      from_external_id: setup.guest.externalId,
      to_program_id: setup.airline.programId,
      to_external_id: setup.flyer.externalId,
      from_points: 5_000,
      fee_points: 75,
      to_points: 2_955,
      rate: { id: setup.rate.id, from_points: 1_000, to_points: 600, fee_bps: 150 },
      settlement: {
        payer_program_id: setup.hotel.programId,
        payee_program_id: setup.airline.programId,
        points: 2_955,
        price_micros: 15_000,
        currency: "USD",
      },
      decided_at: conversion.body.created_at,
    });

    // The conversion row with the settlement obligation fixed at execution.
    expect(
      await d1All(
        `select quote_id, from_member_id, to_member_id, from_points, fee_points, to_points, settlement_price_micros,
                settlement_currency, status, review_id, hold_transaction_id from conversions where id = ?`,
        id,
      ),
    ).toEqual([
      {
        quote_id: quote.body.id,
        from_member_id: setup.guest.id,
        to_member_id: setup.flyer.id,
        from_points: 5_000,
        fee_points: 75,
        to_points: 2_955,
        settlement_price_micros: 15_000,
        settlement_currency: "USD",
        status: "completed",
        review_id: null,
        hold_transaction_id: null,
      },
    ]);

    // One journal transaction per program, each with its two balanced legs.
    const legs = await d1All<{ id: string; type: string; program_id: string; member_id: string; points: number }>(
      "select id, type, program_id, member_id, points, balance_after from ledger_transactions where reference = ? order by type",
      id,
    );
    expect(legs).toEqual([
      {
        id: expect.stringMatching(/^txn_/),
        type: "conversion_in",
        program_id: setup.airline.programId,
        member_id: setup.flyer.id,
        points: 2_955,
        balance_after: 2_955,
      },
      {
        id: expect.stringMatching(/^txn_/),
        type: "conversion_out",
        program_id: setup.hotel.programId,
        member_id: setup.guest.id,
        points: 5_000,
        balance_after: 5_000,
      },
    ]);
    const [incoming, outgoing] = legs as [(typeof legs)[0], (typeof legs)[0]];
    expect(
      await d1All(
        `select transaction_id, program_id, account_id, amount from ledger_entries
         where transaction_id in (?, ?) order by id`,
        outgoing.id,
        incoming.id,
      ),
    ).toEqual([
      {
        transaction_id: outgoing.id,
        program_id: setup.hotel.programId,
        account_id: setup.guest.id,
        amount: -5_000,
      },
      {
        transaction_id: outgoing.id,
        program_id: setup.hotel.programId,
        account_id: `${setup.hotel.programId}:conversions_out`,
        amount: 5_000,
      },
      {
        transaction_id: incoming.id,
        program_id: setup.airline.programId,
        account_id: `${setup.airline.programId}:conversions_in`,
        amount: -2_955,
      },
      {
        transaction_id: incoming.id,
        program_id: setup.airline.programId,
        account_id: setup.flyer.id,
        amount: 2_955,
      },
    ]);
    expect(
      await accountBalances(
        setup.guest.id,
        setup.flyer.id,
        `${setup.hotel.programId}:conversions_out`,
        `${setup.airline.programId}:conversions_in`,
      ),
    ).toEqual({
      [setup.guest.id]: 5_000,
      [setup.flyer.id]: 2_955,
      [`${setup.hotel.programId}:conversions_out`]: 5_000,
      [`${setup.airline.programId}:conversions_in`]: -2_955,
    });
    expect(await setup.balances()).toMatchObject({
      guest: { available: 5_000, pending: 0, lifetime_earned: 10_000 },
      flyer: { available: 2_955, pending: 0, lifetime_earned: 0 },
    });

    // conversion.completed for the caller (the source's owner) and the destination's owner, once each.
    expect((await conversionEvents(id)).sort()).toEqual(
      owners(setup)
        .map((p) => `conversion.completed ${p}`)
        .sort(),
    );
    const [payload] = await d1All<{ payload: string }>(
      "select payload from events where type = 'conversion.completed' and partner_id = ? and json_extract(payload, '$.data.id') = ?",
      setup.airline.owner.id,
      id,
    );
    expect(JSON.parse(payload?.payload ?? "{}").data).toEqual(conversion.body);

    // Both sides read the conversion as it was answered.
    for (const side of [setup.hotel.owner, setup.airline.owner]) {
      const read = await call("GET", `/v1/conversions/${id}`, { token: side.token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(conversion.body);
    }
  });

  it("refuses amounts below the minimum or off the increment with 400 naming the allowed values, writing nothing", async () => {
    const setup = await setupConversion(operatorToken, { min_points: 2_000, increment: 500 });
    await setup.fund(10_000);
    const quotes = async () =>
      (await d1All<{ n: number }>("select count(*) as n from quotes where from_member_id = ?", setup.guest.id))[0]?.n;

    const below = await setup.quote(1_500);
    expect(below.status).toBe(400);
    expect(below.body.code).toBe("validation_failed");
    expect(below.body.errors).toEqual([
      { path: "from_points", message: "must be at least 2000 (then in steps of 500)" },
    ]);
    const off = await setup.quote(2_750);
    expect(off.status).toBe(400);
    expect(off.body.errors).toEqual([{ path: "from_points", message: "must be a multiple of 500: 2500 or 3000" }]);
    const poor = await setup.quote(20_000);
    expect(poor.status).toBe(409);
    expect(poor.body.code).toBe("insufficient_points");
    expect(await quotes()).toBe(0);

    const ok = await setup.quote(2_500);
    expect(ok.status).toBe(201);
    expect(await quotes()).toBe(1);
  });

  it("lets only one of two conversions racing for the same points through; the loser writes nothing", async () => {
    const setup = await setupConversion(operatorToken);
    await setup.fund(3_000);
    const first = await setup.quote(2_000);
    const second = await setup.quote(2_000);
    expect([first.status, second.status]).toEqual([201, 201]);
    const results = await Promise.all([setup.execute(first.body.id), setup.execute(second.body.id)]);
    expect(tally(results)).toEqual({ "201": 1, "409 insufficient_points": 1 });
    for (const result of results) expect(result.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);
    const winner = results.find((r) => r.status === 201) as Answer;
    const loserQuote = winner.body.quote_id === first.body.id ? second.body.id : first.body.id;

    expect(await setup.balances()).toMatchObject({ guest: { available: 1_000 }, flyer: { available: 1_200 } });
    expect(await accountBalances(setup.guest.id, setup.flyer.id)).toEqual({
      [setup.guest.id]: 1_000,
      [setup.flyer.id]: 1_200,
    });
    // The loser's whole batch rolled back: no conversion row claims its quote, no leg, no event.
    expect(await d1All("select id, quote_id from conversions where from_member_id = ?", setup.guest.id)).toEqual([
      { id: winner.body.id, quote_id: winner.body.quote_id },
    ]);
    expect((await journal(setup.guest.id)).map((t) => t.type)).toEqual(["earn", "conversion_out"]);
    expect((await journal(setup.flyer.id)).map((t) => t.type)).toEqual(["conversion_in"]);
    expect(
      await d1All(
        "select count(*) as n from events where type like 'conversion.%' and json_extract(payload, '$.data.quote_id') = ?",
        loserQuote,
      ),
    ).toEqual([{ n: 0 }]);

    // So the loser's quote is still unused: after a top-up it converts.
    await setup.fund(1_000);
    const retried = await setup.execute(loserQuote);
    expect(retried.status).toBe(201);
    expect(await setup.balances()).toMatchObject({ guest: { available: 0 }, flyer: { available: 2_400 } });
  });

  it("executes one quote sent at once with different Idempotency-Keys exactly once (409 conflict for the rest)", async () => {
    const setup = await setupConversion(operatorToken);
    await setup.fund(10_000);
    const quote = await setup.quote(1_000);
    const keys = Array.from({ length: 10 }, () => newKey());
    const results = await Promise.all(keys.map((key) => setup.execute(quote.body.id, key)));
    expect(tally(results)).toEqual({ "201": 1, "409 conflict": 9 });
    for (const result of results.filter((r) => r.status === 409)) {
      expect(result.body.detail).toMatch(/already (been )?used/);
      expect(result.text).not.toMatch(/UNIQUE|constraint|SQLITE|D1_/i);
    }
    const winner = results.find((r) => r.status === 201) as Answer;

    expect(await d1All("select id from conversions where quote_id = ?", quote.body.id)).toEqual([
      { id: winner.body.id },
    ]);
    expect(
      (await d1All<{ type: string }>("select type from ledger_transactions where reference = ?", winner.body.id))
        .map((t) => t.type)
        .sort(),
    ).toEqual(["conversion_in", "conversion_out"]);
    expect((await conversionEvents(winner.body.id)).sort()).toEqual(
      owners(setup)
        .map((p) => `conversion.completed ${p}`)
        .sort(),
    );
    // Only the winner's key holds a stored response; the refused requests stored nothing.
    const stored = await d1All<{ key: string; status_code: number }>(
      `select key, status_code from idempotency_keys where partner_id = ? and key in (${keys.map(() => "?").join(", ")})`,
      setup.hotel.owner.id,
      ...keys,
    );
    expect(stored).toEqual([{ key: keys[results.indexOf(winner)], status_code: 201 }]);
    expect(await setup.balances()).toMatchObject({ guest: { available: 9_000 }, flyer: { available: 600 } });

    // The winner's key replays; any other key is refused again.
    const replay = await setup.execute(quote.body.id, keys[results.indexOf(winner)]);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.text).toBe(winner.text);
    const again = await setup.execute(quote.body.id);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(winner.body.id);
  });

  it("enforces the daily maximum at execution for quotes given before either executed", async () => {
    const setup = await setupConversion(operatorToken, { max_points_per_day: 3_000 });
    await setup.fund(10_000);
    const usage = () =>
      d1All<{ points: number; limit_points: number }>(
        "select points, limit_points from conversion_daily_usage where member_id = ? and to_program_id = ?",
        setup.guest.id,
        setup.airline.programId,
      );
    // Both fit the 3000 left when quoted; together they would not.
    const first = await setup.quote(2_000);
    const second = await setup.quote(2_000);
    expect([first.status, second.status]).toEqual([201, 201]);
    const results = await Promise.all([setup.execute(first.body.id), setup.execute(second.body.id)]);
    expect(tally(results)).toEqual({ "201": 1, "409 conflict": 1 });
    const refused = results.find((r) => r.status === 409) as Answer;
    expect(refused.body.detail).toMatch(/today's maximum/);
    expect(refused.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);
    expect(await usage()).toEqual([{ points: 2_000, limit_points: 3_000 }]);
    expect(await d1All("select count(*) as n from conversions where from_member_id = ?", setup.guest.id)).toEqual([
      { n: 1 },
    ]);

    // 1000 are left: quoted and converted; then the quote itself refuses with 400 naming the maximum.
    const rest = await setup.quote(1_000);
    expect(rest.status).toBe(201);
    expect((await setup.execute(rest.body.id)).status).toBe(201);
    expect(await usage()).toEqual([{ points: 3_000, limit_points: 3_000 }]);
    const over = await setup.quote(1_000);
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      {
        path: "from_points",
        message: "exceeds the daily maximum: nothing more can be converted to this program today",
      },
    ]);
    // The refused quote of the race still cannot sneak through afterwards.
    const loserQuote = refused === results[0] ? first.body.id : second.body.id;
    expect((await setup.execute(loserQuote)).status).toBe(409);
    expect(await usage()).toEqual([{ points: 3_000, limit_points: 3_000 }]);
    expect(await setup.balances()).toMatchObject({ guest: { available: 7_000 }, flyer: { available: 1_800 } });
  });

  it("answers 409 quote_expired once the quote's time has passed, and writes nothing", async () => {
    const setup = await setupConversion(operatorToken);
    await setup.fund(5_000);
    // A second Worker instance (as another isolate would be) whose quotes live 5 s, on the same D1 database.
    const shortLived = callThrough(createWorker(), { ...env, QUOTE_TTL_SECONDS: "5" });
    const late = await setup.quote(1_000, {}, shortLived);
    const prompt = await setup.quote(1_000, {}, shortLived);
    expect([late.status, prompt.status]).toEqual([201, 201]);
    expect(Date.parse(late.body.expires_at) - Date.parse(late.body.created_at)).toBe(5_000);
    // Within its time a short-lived quote converts, through either instance.
    expect((await setup.execute(prompt.body.id)).status).toBe(201);

    const wait = Date.parse(late.body.expires_at) - Date.now() + 50;
    expect(wait).toBeLessThanOrEqual(5_100);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    const before = await journal(setup.guest.id);
    // The expiry is the quote's own: both instances refuse it, whatever their QUOTE_TTL_SECONDS.
    for (const send of [shortLived, call]) {
      const expired = await setup.execute(late.body.id, newKey(), send);
      expect(expired.status).toBe(409);
      expect(expired.body.code).toBe("quote_expired");
    }
    expect(await d1All("select id from conversions where quote_id = ?", late.body.id)).toEqual([]);
    expect(await journal(setup.guest.id)).toEqual(before);
    expect(await setup.balances()).toMatchObject({ guest: { available: 4_000 }, flyer: { available: 600 } });
  });

  it("answers 404 to anyone but the converting partner and both programs' owners", async () => {
    const setup = await setupConversion(operatorToken);
    await setup.fund(1_000);
    const conversion = await setup.execute((await setup.quote(1_000)).body.id);
    expect(conversion.status).toBe(201);
    const stranger = await onboardPartner(operatorToken);
    // Even one owning a program of its own with a member of the same number.
    const other = await setupProgram(operatorToken);
    await other.enrol(setup.guest.externalId);
    for (const token of [stranger.token, other.owner.token]) {
      const read = await call("GET", `/v1/conversions/${conversion.body.id}`, { token });
      expect(read.status).toBe(404);
      expect(read.body.code).toBe("not_found");
      expect(read.text).not.toContain(setup.guest.id);
      const missing = await call("GET", "/v1/conversions/cnv_nope", { token });
      expect(read.body.detail.replace(conversion.body.id, "ID")).toBe(missing.body.detail.replace("cnv_nope", "ID"));
    }
    // Nor can a stranger execute another partner's quote.
    await setup.fund(1_000);
    const open = await setup.quote(1_000);
    const stolen = await call("POST", "/v1/conversions", {
      token: stranger.token,
      headers: { "Idempotency-Key": newKey() },
      body: { quote_id: open.body.id },
    });
    expect(stolen.status).toBe(404);
    expect(await d1All("select id from conversions where quote_id = ?", open.body.id)).toEqual([]);
  });
});

describe("held conversions on D1", () => {
  /** The member's available and hold accounts, as D1 holds them. */
  const held = async (setup: Setup) => {
    const balances = await accountBalances(setup.guest.id, `${setup.guest.id}:hold`, setup.flyer.id);
    return {
      available: balances[setup.guest.id],
      hold: balances[`${setup.guest.id}:hold`],
      destination: balances[setup.flyer.id] ?? 0,
    };
  };

  it("holds above the review threshold, moving the points to pending, and completes on approval", async () => {
    const setup = await setupConversion(operatorToken, {}, { review_threshold_points: 4_000 });
    await setup.fund(10_000);
    const quote = await setup.quote(5_000);
    const answer = await setup.execute(quote.body.id);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      status: "held",
      review_id: expect.stringMatching(/^rev_/),
      decided_at: null,
      settlement: { points: 3_000, price_micros: 15_000, currency: "USD" },
    });
    const { id, review_id: reviewId } = answer.body;

    // The points moved from available to the hold account; nothing reached the destination.
    expect(await held(setup)).toEqual({ available: 5_000, hold: 5_000, destination: 0 });
    expect(await setup.balances()).toMatchObject({
      guest: { available: 5_000, pending: 5_000 },
      flyer: { available: 0 },
    });
    const [hold] = await d1All<{ id: string }>("select hold_transaction_id as id from conversions where id = ?", id);
    expect(await journal(setup.guest.id)).toEqual([
      expect.objectContaining({ type: "earn" }),
      { id: hold?.id, type: "hold", points: 5_000, reference: id, original_transaction_id: null },
    ]);
    expect(
      await d1All("select account_id, amount from ledger_entries where transaction_id = ? order by id", hold?.id),
    ).toEqual([
      { account_id: setup.guest.id, amount: -5_000 },
      { account_id: `${setup.guest.id}:hold`, amount: 5_000 },
    ]);
    expect(await d1All("select status, rule, points, conversion_id from reviews where id = ?", reviewId)).toEqual([
      { status: "pending", rule: "review_threshold", points: 5_000, conversion_id: id },
    ]);
    expect((await conversionEvents(id)).sort()).toEqual(
      owners(setup)
        .map((p) => `conversion.held ${p}`)
        .sort(),
    );
    // Held points cannot be spent meanwhile.
    const overspend = await setup.hotel.move("burn", setup.guest.externalId, 6_000);
    expect(overspend.status).toBe(409);
    expect(overspend.body.code).toBe("insufficient_points");

    const queue = await call("GET", "/v1/reviews?status=pending&limit=100", { token: operatorToken });
    expect(queue.body.data).toContainEqual(
      expect.objectContaining({ id: reviewId, rule: "review_threshold", points: 5_000, conversion_id: id }),
    );
    const approved = await call("POST", `/v1/reviews/${reviewId}/approve`, {
      token: operatorToken,
      body: { reason: "Member confirmed by phone" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      id: reviewId,
      status: "approved",
      decided_by: operator.clientId,
      decision_reason: "Member confirmed by phone",
      conversion: { id, status: "completed", decided_at: approved.body.decided_at },
    });

    // The points left the hold (not the available balance), and the destination member was credited.
    expect(await held(setup)).toEqual({ available: 5_000, hold: 0, destination: 3_000 });
    expect(await setup.balances()).toMatchObject({
      guest: { available: 5_000, pending: 0 },
      flyer: { available: 3_000 },
    });
    const out = (await journal(setup.guest.id)).at(-1);
    expect(out).toMatchObject({
      type: "conversion_out",
      points: 5_000,
      reference: id,
      original_transaction_id: hold?.id,
    });
    expect(
      await d1All("select account_id, amount from ledger_entries where transaction_id = ? order by id", out?.id),
    ).toEqual([
      { account_id: `${setup.guest.id}:hold`, amount: -5_000 },
      { account_id: `${setup.hotel.programId}:conversions_out`, amount: 5_000 },
    ]);
    expect(await journal(setup.flyer.id)).toEqual([
      expect.objectContaining({ type: "conversion_in", points: 3_000, reference: id }),
    ]);
    expect(await d1All("select status, decided_at is not null as decided from conversions where id = ?", id)).toEqual([
      { status: "completed", decided: 1 },
    ]);
    expect(await d1All("select status, decided_by, decision_reason from reviews where id = ?", reviewId)).toEqual([
      { status: "approved", decided_by: operator.clientId, decision_reason: "Member confirmed by phone" },
    ]);
    expect(await d1All("select decision from review_decisions where review_id = ?", reviewId)).toEqual([
      { decision: "approved" },
    ]);
    expect((await conversionEvents(id)).sort()).toEqual(
      [
        ...owners(setup).map((p) => `conversion.held ${p}`),
        ...owners(setup).map((p) => `conversion.completed ${p}`),
      ].sort(),
    );

    // A second decision, either way, is 409 and changes nothing.
    const journalBefore = await journal(setup.guest.id);
    for (const verb of ["reject", "approve"]) {
      const again = await call("POST", `/v1/reviews/${reviewId}/${verb}`, { token: operatorToken });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe("conflict");
    }
    expect(await journal(setup.guest.id)).toEqual(journalBefore);
    expect(await held(setup)).toEqual({ available: 5_000, hold: 0, destination: 3_000 });
    const read = await call("GET", `/v1/conversions/${id}`, { token: setup.airline.owner.token });
    expect(read.body).toEqual(approved.body.conversion);
  });

  it("releases the points back when rejected, freeing the daily maximum, and refuses a second decision", async () => {
    const setup = await setupConversion(
      operatorToken,
      { max_points_per_day: 2_000 },
      { review_threshold_points: 1_000 },
    );
    await setup.fund(3_000);
    const answer = await setup.execute((await setup.quote(2_000)).body.id);
    expect(answer.status).toBe(202);
    const { id, review_id: reviewId } = answer.body;
    expect(await held(setup)).toEqual({ available: 1_000, hold: 2_000, destination: 0 });
    const usage = () =>
      d1All(
        "select points from conversion_daily_usage where member_id = ? and to_program_id = ?",
        setup.guest.id,
        setup.airline.programId,
      );
    expect(await usage()).toEqual([{ points: 2_000 }]);

    const rejected = await call("POST", `/v1/reviews/${reviewId}/reject`, {
      token: operatorToken,
      body: { reason: "Unusual pattern" },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: "rejected",
      decision_reason: "Unusual pattern",
      conversion: { id, status: "rejected" },
    });
    expect(await held(setup)).toEqual({ available: 3_000, hold: 0, destination: 0 });
    expect(await setup.balances()).toMatchObject({
      guest: { available: 3_000, pending: 0 },
      flyer: { available: 0 },
    });
    const [hold, release] = (await journal(setup.guest.id)).slice(1);
    expect(release).toMatchObject({ type: "release", points: 2_000, reference: id, original_transaction_id: hold?.id });
    expect(
      await d1All("select account_id, amount from ledger_entries where transaction_id = ? order by id", release?.id),
    ).toEqual([
      { account_id: `${setup.guest.id}:hold`, amount: -2_000 },
      { account_id: setup.guest.id, amount: 2_000 },
    ]);
    expect(await journal(setup.flyer.id)).toEqual([]);
    expect(await d1All("select status from conversions where id = ?", id)).toEqual([{ status: "rejected" }]);
    expect(await d1All("select status from reviews where id = ?", reviewId)).toEqual([{ status: "rejected" }]);
    expect(await usage()).toEqual([{ points: 0 }]);
    expect((await conversionEvents(id)).sort()).toEqual(
      [
        ...owners(setup).map((p) => `conversion.held ${p}`),
        ...owners(setup).map((p) => `conversion.rejected ${p}`),
      ].sort(),
    );

    const again = await call("POST", `/v1/reviews/${reviewId}/approve`, { token: operatorToken });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
    expect(await held(setup)).toEqual({ available: 3_000, hold: 0, destination: 0 });
    expect(await d1All("select decision from review_decisions where review_id = ?", reviewId)).toEqual([
      { decision: "rejected" },
    ]);
  });

  it("gives two concurrent decisions on one review one effect (review_decisions' primary key on D1)", async () => {
    const setup = await setupConversion(operatorToken, {}, { review_threshold_points: 1_000 });
    await setup.fund(3_000);
    const answer = await setup.execute((await setup.quote(2_000)).body.id);
    const decisions = await Promise.all([
      call("POST", `/v1/reviews/${answer.body.review_id}/reject`, { token: operatorToken }),
      call("POST", `/v1/reviews/${answer.body.review_id}/approve`, { token: operatorToken }),
      call("POST", `/v1/reviews/${answer.body.review_id}/approve`, { token: operatorToken }),
    ]);
    expect(tally(decisions)).toEqual({ "200": 1, "409 conflict": 2 });
    for (const decision of decisions) expect(decision.text).not.toMatch(/UNIQUE|constraint|SQLITE|D1_/i);
    const winner = (decisions.find((d) => d.status === 200) as Answer).body;
    expect(await d1All("select decision from review_decisions where review_id = ?", winner.id)).toEqual([
      { decision: winner.status },
    ]);
    expect(await held(setup)).toEqual(
      winner.status === "rejected"
        ? { available: 3_000, hold: 0, destination: 0 }
        : { available: 1_000, hold: 0, destination: 1_200 },
    );
    expect((await journal(setup.guest.id)).map((t) => t.type)).toEqual(
      winner.status === "rejected" ? ["earn", "hold", "release"] : ["earn", "hold", "conversion_out"],
    );
  });
});

describe("the ledger invariants, straight from D1, after the conversion workload above", () => {
  it("balances per program and per transaction, folds every balance, and has no negative member or hold account", async () => {
    // The workload above really ran in this database.
    const [{ conversions, held, rejected }] = (await d1All<{ conversions: number; held: number; rejected: number }>(
      `select (select count(*) from conversions where status = 'completed') as conversions,
              (select count(*) from conversions where hold_transaction_id is not null) as held,
              (select count(*) from conversions where status = 'rejected') as rejected`,
    )) as [{ conversions: number; held: number; rejected: number }];
    expect(conversions).toBeGreaterThanOrEqual(8);
    expect(held).toBeGreaterThanOrEqual(3);
    expect(rejected).toBeGreaterThanOrEqual(1);

    expect(
      await d1All("select program_id, sum(amount) as total from ledger_entries group by program_id having total <> 0"),
    ).toEqual([]);
    expect(
      await d1All(
        "select transaction_id, sum(amount) as total from ledger_entries group by transaction_id having total <> 0",
      ),
    ).toEqual([]);
    expect(
      await d1All(`
        select a.id, a.balance, coalesce(sum(e.amount), 0) as folded
        from accounts a left join ledger_entries e on e.account_id = a.id
        group by a.id having a.balance <> folded`),
    ).toEqual([]);
    expect(
      await d1All("select id, balance from accounts where kind in ('member', 'member_hold') and balance < 0"),
    ).toEqual([]);
    expect(
      await d1All(
        `select e.id from ledger_entries e left join ledger_transactions t on t.id = e.transaction_id
         where t.id is null or t.program_id <> e.program_id`,
      ),
    ).toEqual([]);
    expect(
      await d1All(
        `select t.id from ledger_transactions t left join ledger_entries e on e.transaction_id = t.id
         group by t.id having count(e.id) <> 2`,
      ),
    ).toEqual([]);

    // Conversions: a completed one has exactly its two legs (plus its hold if it was held), each in its own
    // program for its own amount; a held one only its hold; a rejected one its hold and release.
    const journals = await d1All<{ id: string; status: string; held: number; legs: string }>(
      `select c.id, c.status, c.hold_transaction_id is not null as held,
              coalesce((select group_concat(kind, ',') from (
                select t.type || ':' || (case when t.program_id = c.from_program_id then 'from' else 'to' end)
                       || ':' || (case when t.points = (case when t.type = 'conversion_in' then c.to_points else c.from_points end)
                                       then 'ok' else 'wrong' end) as kind
                from ledger_transactions t where t.reference = c.id order by t.type)), '') as legs
       from conversions c`,
    );
    for (const row of journals) {
      const expected = {
        completed: row.held
          ? "conversion_in:to:ok,conversion_out:from:ok,hold:from:ok"
          : "conversion_in:to:ok,conversion_out:from:ok",
        held: "hold:from:ok",
        rejected: "hold:from:ok,release:from:ok",
      }[row.status];
      expect(row.legs, `${row.id} (${row.status})`).toBe(expected);
    }
    // Every hold account holds exactly its member's pending conversions.
    expect(
      await d1All(
        `select a.id, a.balance, coalesce((select sum(c.from_points) from conversions c
                                          where c.from_member_id = a.member_id and c.status = 'held'), 0) as pending
         from accounts a where a.kind = 'member_hold' and a.balance <> pending`,
      ),
    ).toEqual([]);
    // No member's daily total ever exceeds its limit, and it equals its completed and held conversions.
    expect(await d1All("select * from conversion_daily_usage where points > limit_points or points < 0")).toEqual([]);
    expect(
      await d1All(
        `select u.member_id, u.day, u.points,
                (select coalesce(sum(c.from_points), 0) from conversions c
                 where c.from_member_id = u.member_id and c.to_program_id = u.to_program_id and c.status <> 'rejected'
                   and strftime('%Y-%m-%d', c.created_at / 1000, 'unixepoch') = u.day) as counted
         from conversion_daily_usage u where u.points <> counted`,
      ),
    ).toEqual([]);
    // The quote is claimed by at most one conversion.
    expect(await d1All("select quote_id from conversions group by quote_id having count(*) > 1")).toEqual([]);
  });
});
