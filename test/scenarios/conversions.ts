import { describe, expect, it } from "vitest";
import { newKey, onboardPartner, setupConversion, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import { expectConversionInvariants, expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Answer, Target } from "./target";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Conversion rates, quotes, conversions (atomic, raced, idempotent, limited per day, expiring) and conversions
 * held for review, checked through the API and straight in the database the gateway wrote.
 */
export function conversionScenarios(target: Target) {
  const gw = connect(target);
  type Setup = Awaited<ReturnType<typeof setupConversion>>;

  /** Balances of accounts as the database holds them, by id (missing accounts are left out). */
  const accountBalances = async (...ids: string[]) =>
    Object.fromEntries(
      (
        await gw.rows<{ id: string; balance: number }>(
          `select id, balance from accounts where id in (${ids.map(() => "?").join(", ")})`,
          ...ids,
        )
      ).map((row) => [row.id, row.balance]),
    );
  /** The journal rows of a member, oldest first. */
  const journal = (memberId: string) =>
    gw.rows<{
      id: string;
      type: string;
      points: number;
      reference: string | null;
      original_transaction_id: string | null;
    }>(
      "select id, type, points, reference, original_transaction_id from ledger_transactions where member_id = ? order by rowid",
      memberId,
    );
  /** The outbox events about a conversion (its data is the conversion, or the review with it), as "type partner". */
  const conversionEvents = async (conversionId: string) =>
    (
      await gw.rows<{ type: string; partner_id: string }>(
        `select type, partner_id from events
         where json_extract(payload, '$.data.id') = ? or json_extract(payload, '$.data.conversion_id') = ?
         order by rowid`,
        conversionId,
        conversionId,
      )
    )
      .map((event) => `${event.type} ${event.partner_id}`)
      .sort();
  /** `type` events for both programs' owners, as conversionEvents lists them. */
  const forOwners = (setup: Setup, ...types: string[]) =>
    types.flatMap((type) => [setup.hotel.owner.id, setup.airline.owner.id].map((p) => `${type} ${p}`)).sort();
  const executed = (answer: Answer, status: 201 | 202 = 201) => expectBody(answer, op.executeConversion, status);
  const rateBody = (setup: Setup, toPoints: number) => ({
    ...setup.pair,
    from_points: 1_000,
    to_points: toPoints,
    min_points: 1_000,
    increment: 1_000,
    fee_bps: 0,
  });

  describe("conversion rates", () => {
    it("are published by the operator only, listed with their status, and a newer one supersedes from its valid_from", async () => {
      const setup = await setupConversion(gw, { fee_bps: 150, max_points_per_day: 50_000 });
      // The published terms, the same in the answer and in the row.
      const terms = {
        ...setup.pair,
        from_points: 1_000,
        to_points: 600,
        min_points: 1_000,
        increment: 1_000,
        max_points_per_day: 50_000,
        fee_bps: 150,
        valid_until: null,
      };
      expect(setup.rate).toMatchObject({ id: expect.stringMatching(/^cvr_/), ...terms, status: "in_force" });
      expect(
        await gw.rows(
          `select from_program_id, to_program_id, from_points, to_points, min_points, increment, max_points_per_day,
                  fee_bps, valid_until from conversion_rates where id = ?`,
          setup.rate.id,
        ),
      ).toEqual([terms]);

      const byPartner = await gw.call("POST", "/v1/conversion-rates", {
        as: setup.hotel.owner,
        body: rateBody(setup, 700),
      });
      expectProblem(byPartner, 403, "forbidden");
      const later = new Date(gw.clock.now().getTime() + HOUR).toISOString();
      const scheduled = expectBody(
        await gw.call("POST", "/v1/conversion-rates", {
          as: gw.operator,
          body: { ...rateBody(setup, 700), valid_from: later },
        }),
        op.createConversionRate,
        201,
      );
      expect(scheduled.status).toBe("scheduled");

      // A partner with conversions:write may read the rates of its pair, the newest valid_from first.
      const listed = async () =>
        expectBody(
          await gw.call("GET", `/v1/conversion-rates?from_program_id=${setup.hotel.programId}`, {
            as: setup.hotel.owner,
          }),
          op.listConversionRates,
          200,
        ).data.map((rate) => [rate.id, rate.status]);
      expect(await listed()).toEqual([
        [scheduled.id, "scheduled"],
        [setup.rate.id, "in_force"],
      ]);
      // Quotes use the rate in force, not the scheduled one.
      await setup.fund(1_000);
      expect((await setup.quoted(1_000)).rate).toEqual({
        id: setup.rate.id,
        from_points: 1_000,
        to_points: 600,
        fee_bps: 150,
      });

      gw.clock.advance(2 * HOUR);
      expect(await listed()).toEqual([
        [scheduled.id, "in_force"],
        [setup.rate.id, "superseded"],
      ]);
      expect((await setup.quoted(1_000)).rate).toMatchObject({ id: scheduled.id, to_points: 700 });
    });

    it("refuses bad rates: same program, zero ratio, fee of 100%, fractional points, unknown program", async () => {
      const setup = await setupConversion(gw);
      const base = { ...setup.pair, from_points: 1, to_points: 1, min_points: 1, increment: 1, fee_bps: 0 };
      for (const [body, path] of [
        [{ ...base, to_program_id: setup.hotel.programId }, "to_program_id"],
        [{ ...base, to_points: 0 }, "to_points"],
        [{ ...base, fee_bps: 10_000 }, "fee_bps"],
        [{ ...base, from_points: 1.5 }, "from_points"],
      ] as const) {
        const answer = await gw.call("POST", "/v1/conversion-rates", { as: gw.operator, body });
        expect(expectProblem(answer, 400, "validation_failed", path).errors?.[0]?.path).toBe(path);
      }
      const unknown = await gw.call("POST", "/v1/conversion-rates", {
        as: gw.operator,
        body: { ...base, to_program_id: "prg_nope" },
      });
      expectProblem(unknown, 404, "not_found");
    });
  });

  describe("quotes and conversions", () => {
    it("converts atomically: both programs' legs, both balances, the settlement obligation and events for both owners", async () => {
      const setup = await setupConversion(gw, { fee_bps: 150 });
      await setup.fund(10_000);
      const quote = await setup.quoted(5_000);
      expect(quote).toMatchObject({
        id: expect.stringMatching(/^qt_/),
        from_points: 5_000,
        fee_points: 75,
        to_points: 2_955,
        rate: { id: setup.rate.id, from_points: 1_000, to_points: 600, fee_bps: 150 },
      });
      expect(Date.parse(quote.created_at)).toBe(gw.clock.now().getTime());
      expect(Date.parse(quote.expires_at) - Date.parse(quote.created_at)).toBe(60_000);
      expect(
        await gw.rows(
          `select from_member_id, to_member_id, from_points, fee_points, to_points, expires_at - created_at as ttl
           from quotes where id = ?`,
          quote.id,
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

      const conversion = executed(await setup.execute(quote.id));
      const id = conversion.id;
      expect(conversion).toMatchObject({
        id: expect.stringMatching(/^cnv_/),
        status: "completed",
        quote_id: quote.id,
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
        decided_at: conversion.created_at,
      });

      // The conversion row with the settlement obligation fixed at execution.
      expect(
        await gw.rows(
          `select quote_id, from_member_id, to_member_id, from_points, fee_points, to_points, settlement_price_micros,
                  settlement_currency, status, review_id, hold_transaction_id from conversions where id = ?`,
          id,
        ),
      ).toEqual([
        {
          quote_id: quote.id,
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
      const legs = await gw.rows<{ id: string; type: string }>(
        `select id, type, program_id, member_id, points, balance_after from ledger_transactions
         where reference = ? order by type`,
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
      const [incoming, outgoing] = legs;
      expect(
        await gw.rows(
          `select transaction_id, program_id, account_id, amount from ledger_entries
           where transaction_id in (?, ?) order by id`,
          outgoing?.id,
          incoming?.id,
        ),
      ).toEqual([
        {
          transaction_id: outgoing?.id,
          program_id: setup.hotel.programId,
          account_id: setup.guest.id,
          amount: -5_000,
        },
        {
          transaction_id: outgoing?.id,
          program_id: setup.hotel.programId,
          account_id: `${setup.hotel.programId}:conversions_out`,
          amount: 5_000,
        },
        {
          transaction_id: incoming?.id,
          program_id: setup.airline.programId,
          account_id: `${setup.airline.programId}:conversions_in`,
          amount: -2_955,
        },
        {
          transaction_id: incoming?.id,
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
      expect(await conversionEvents(id)).toEqual(forOwners(setup, "conversion.completed"));
      const [payload] = await gw.rows<{ payload: string }>(
        `select payload from events
         where type = 'conversion.completed' and partner_id = ? and json_extract(payload, '$.data.id') = ?`,
        setup.airline.owner.id,
        id,
      );
      expect(JSON.parse(payload?.payload ?? "{}").data).toEqual(conversion);

      // Both sides read the conversion as it was answered.
      for (const side of [setup.hotel.owner, setup.airline.owner]) {
        const read = await gw.call("GET", `/v1/conversions/${id}`, { as: side });
        expect(expectBody(read, op.getConversion, 200)).toEqual(conversion);
      }
    });

    it("refuses amounts below the minimum or off the increment with 400 naming the allowed values, writing nothing", async () => {
      const setup = await setupConversion(gw, { min_points: 2_000, increment: 500 });
      await setup.fund(10_000);
      const quotes = async () =>
        (await gw.rows<{ n: number }>("select count(*) as n from quotes where from_member_id = ?", setup.guest.id))[0]
          ?.n;

      const below = expectProblem(await setup.quote(1_500), 400, "validation_failed");
      expect(below.errors).toEqual([{ path: "from_points", message: "must be at least 2000 (then in steps of 500)" }]);
      const off = expectProblem(await setup.quote(2_750), 400, "validation_failed");
      expect(off.errors).toEqual([{ path: "from_points", message: "must be a multiple of 500: 2500 or 3000" }]);
      const short = await setup.quote(20_000);
      expectProblem(short, 409, "insufficient_points");
      // The available points the portal words for people (ApiError's values) stay out of the problem JSON.
      expect(Object.keys(short.body as object).sort()).toEqual([
        "code",
        "detail",
        "request_id",
        "status",
        "title",
        "type",
      ]);
      expect(await quotes()).toBe(0);

      await setup.quoted(2_500);
      expect(await quotes()).toBe(1);
    });

    it("needs a burn agreement in the source program and an existing destination member", async () => {
      const setup = await setupConversion(gw);
      await setup.fund(2_000);
      const missing = expectProblem(await setup.quote(1_000, { to_external_id: "NOBODY-1" }), 404, "not_found");
      expect(missing.detail).toMatch(/NOBODY-1/);
      const stranger = await onboardPartner(gw);
      const foreign = await gw.call("POST", "/v1/conversions/quotes", {
        as: stranger,
        body: {
          ...setup.pair,
          from_external_id: setup.guest.externalId,
          to_external_id: setup.flyer.externalId,
          from_points: 1_000,
        },
      });
      expectProblem(foreign, 404, "not_found");
    });

    it("lets only one of two conversions racing for the same points through; the loser writes nothing", async () => {
      const setup = await setupConversion(gw);
      await setup.fund(3_000);
      const first = await setup.quoted(2_000);
      const second = await setup.quoted(2_000);
      const results = await Promise.all([setup.execute(first.id), setup.execute(second.id)]);
      expect(tally(results)).toEqual({ "201": 1, "409 insufficient_points": 1 });
      for (const result of results) expect(result.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);
      const winner = executed(results.find((r) => r.status === 201) as Answer);
      const loserQuote = winner.quote_id === first.id ? second.id : first.id;

      expect(await setup.balances()).toMatchObject({ guest: { available: 1_000 }, flyer: { available: 1_200 } });
      expect(await accountBalances(setup.guest.id, setup.flyer.id)).toEqual({
        [setup.guest.id]: 1_000,
        [setup.flyer.id]: 1_200,
      });
      // The loser's whole write rolled back: no conversion row claims its quote, no leg, no event.
      expect(await gw.rows("select id, quote_id from conversions where from_member_id = ?", setup.guest.id)).toEqual([
        { id: winner.id, quote_id: winner.quote_id },
      ]);
      expect((await journal(setup.guest.id)).map((t) => t.type)).toEqual(["earn", "conversion_out"]);
      expect((await journal(setup.flyer.id)).map((t) => t.type)).toEqual(["conversion_in"]);
      expect(
        await gw.rows(
          "select count(*) as n from events where type like 'conversion.%' and json_extract(payload, '$.data.quote_id') = ?",
          loserQuote,
        ),
      ).toEqual([{ n: 0 }]);

      // So the loser's quote is still unused: after a top-up it converts.
      await setup.fund(1_000);
      executed(await setup.execute(loserQuote));
      expect(await setup.balances()).toMatchObject({ guest: { available: 0 }, flyer: { available: 2_400 } });
    });

    it("executes one quote sent at once with different Idempotency-Keys exactly once (409 conflict for the rest)", async () => {
      const setup = await setupConversion(gw);
      await setup.fund(10_000);
      const quote = await setup.quoted(1_000);
      const keys = Array.from({ length: 10 }, () => newKey());
      const results = await Promise.all(keys.map((key) => setup.execute(quote.id, key)));
      expect(tally(results)).toEqual({ "201": 1, "409 conflict": 9 });
      for (const result of results.filter((r) => r.status === 409)) {
        expect(expectProblem(result, 409, "conflict").detail).toMatch(/already (been )?used/);
        expect(result.text).not.toMatch(/UNIQUE|constraint|SQLITE|D1_/i);
      }
      const winnerAnswer = results.find((r) => r.status === 201) as Answer;
      const winner = executed(winnerAnswer);

      expect(await gw.rows("select id from conversions where quote_id = ?", quote.id)).toEqual([{ id: winner.id }]);
      expect(
        (await gw.rows<{ type: string }>("select type from ledger_transactions where reference = ?", winner.id))
          .map((t) => t.type)
          .sort(),
      ).toEqual(["conversion_in", "conversion_out"]);
      expect(await conversionEvents(winner.id)).toEqual(forOwners(setup, "conversion.completed"));
      // Only the winner's key holds a stored response; the refused requests stored nothing.
      const winnerKey = keys[results.indexOf(winnerAnswer)];
      const stored = await gw.rows(
        `select key, status_code from idempotency_keys where partner_id = ? and key in (${keys.map(() => "?").join(", ")})`,
        setup.hotel.owner.id,
        ...keys,
      );
      expect(stored).toEqual([{ key: winnerKey, status_code: 201 }]);
      expect(await setup.balances()).toMatchObject({ guest: { available: 9_000 }, flyer: { available: 600 } });

      // The winner's key replays; any other key is refused again.
      const replay = await setup.execute(quote.id, winnerKey);
      expect(replay.status).toBe(201);
      expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
      expect(replay.text).toBe(winnerAnswer.text);
      expect(expectProblem(await setup.execute(quote.id), 409, "conflict").detail).toContain(winner.id);
    });

    it("keeps a quote's rate when a newer rate starts before it is executed", async () => {
      const setup = await setupConversion(gw);
      await setup.fund(4_000);
      const quote = await setup.quoted(2_000);
      expectBody(
        await gw.call("POST", "/v1/conversion-rates", { as: gw.operator, body: rateBody(setup, 900) }),
        op.createConversionRate,
        201,
      );
      expect(executed(await setup.execute(quote.id))).toMatchObject({ to_points: 1_200, rate: { to_points: 600 } });
      expect(await setup.quoted(2_000)).toMatchObject({ to_points: 1_800, rate: { to_points: 900 } });
    });

    it("enforces the daily maximum at execution for quotes given before either executed", async () => {
      const setup = await setupConversion(gw, { max_points_per_day: 3_000 });
      await setup.fund(10_000);
      const usage = () =>
        gw.rows(
          "select points, limit_points from conversion_daily_usage where member_id = ? and to_program_id = ?",
          setup.guest.id,
          setup.airline.programId,
        );
      // Both fit the 3000 left when quoted; together they would not.
      const first = await setup.quoted(2_000);
      const second = await setup.quoted(2_000);
      const results = await Promise.all([setup.execute(first.id), setup.execute(second.id)]);
      expect(tally(results)).toEqual({ "201": 1, "409 conflict": 1 });
      const refused = results.find((r) => r.status === 409) as Answer;
      expect(expectProblem(refused, 409, "conflict").detail).toMatch(/today's maximum/);
      expect(refused.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);
      expect(await usage()).toEqual([{ points: 2_000, limit_points: 3_000 }]);
      expect(await gw.rows("select count(*) as n from conversions where from_member_id = ?", setup.guest.id)).toEqual([
        { n: 1 },
      ]);

      // 1000 are left: quoted and converted; then the quote itself refuses with 400 naming the maximum.
      executed(await setup.execute((await setup.quoted(1_000)).id));
      expect(await usage()).toEqual([{ points: 3_000, limit_points: 3_000 }]);
      expect(expectProblem(await setup.quote(1_000), 400, "validation_failed").errors).toEqual([
        {
          path: "from_points",
          message: "exceeds the daily maximum: nothing more can be converted to this program today",
        },
      ]);
      // The refused quote of the race still cannot sneak through afterwards.
      const loserQuote = refused === results[0] ? first.id : second.id;
      expectProblem(await setup.execute(loserQuote), 409, "conflict");
      expect(await usage()).toEqual([{ points: 3_000, limit_points: 3_000 }]);
      expect(await setup.balances()).toMatchObject({ guest: { available: 7_000 }, flyer: { available: 1_800 } });
    });

    it("frees the daily maximum the next day (UTC)", async () => {
      // 08:00 UTC of the next day, then one second past the midnight after it: the clock only moves forward.
      const now = gw.clock.now();
      const nextDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      gw.clock.set(new Date(nextDay + 8 * HOUR));
      const setup = await setupConversion(gw, { max_points_per_day: 3_000 });
      await setup.fund(10_000);
      executed(await setup.execute((await setup.quoted(2_000)).id));
      executed(await setup.execute((await setup.quoted(1_000)).id));
      expect(expectProblem(await setup.quote(1_000), 400, "validation_failed").errors?.[0]?.message).toMatch(
        /daily maximum/,
      );
      gw.clock.set(new Date(nextDay + DAY + 1_000));
      const fresh = await setup.quoted(3_000);
      const tooMuch = await setup.quoted(1_000); // quoted before the first executes; the execution enforces the limit
      executed(await setup.execute(fresh.id));
      expect(expectProblem(await setup.execute(tooMuch.id), 409, "conflict").detail).toMatch(/maximum/);
      expect((await setup.balances()).guest.available).toBe(4_000);
    });

    it("answers 409 quote_expired once the quote's time has passed, and writes nothing", async () => {
      const setup = await setupConversion(gw);
      await setup.fund(5_000);
      const late = await setup.quoted(1_000);
      const prompt = await setup.quoted(1_000);
      gw.clock.advance(59_000);
      // Within its time a quote converts.
      executed(await setup.execute(prompt.id));

      gw.clock.advance(2_000);
      const before = await journal(setup.guest.id);
      expectProblem(await setup.execute(late.id), 409, "quote_expired");
      expect(await gw.rows("select id from conversions where quote_id = ?", late.id)).toEqual([]);
      expect(await journal(setup.guest.id)).toEqual(before);
      expect(await setup.balances()).toMatchObject({ guest: { available: 4_000 }, flyer: { available: 600 } });
    });

    it("answers 404 to anyone but the converting partner and both programs' owners", async () => {
      const setup = await setupConversion(gw);
      await setup.fund(1_000);
      const conversion = executed(await setup.execute((await setup.quoted(1_000)).id));
      const stranger = await onboardPartner(gw);
      // Even one owning a program of its own with a member of the same number.
      const other = await setupProgram(gw);
      await other.enrol(setup.guest.externalId);
      for (const as of [stranger, other.owner]) {
        const read = expectProblem(await gw.call("GET", `/v1/conversions/${conversion.id}`, { as }), 404, "not_found");
        expect(JSON.stringify(read)).not.toContain(setup.guest.id);
        const missing = expectProblem(await gw.call("GET", "/v1/conversions/cnv_nope", { as }), 404, "not_found");
        expect(read.detail.replace(conversion.id, "ID")).toBe(missing.detail.replace("cnv_nope", "ID"));
      }
      // Nor can a stranger execute another partner's quote.
      await setup.fund(1_000);
      const open = await setup.quoted(1_000);
      const stolen = await gw.call("POST", "/v1/conversions", {
        as: stranger,
        headers: { "Idempotency-Key": newKey() },
        body: { quote_id: open.id },
      });
      expectProblem(stolen, 404, "not_found");
      expect(await gw.rows("select id from conversions where quote_id = ?", open.id)).toEqual([]);
    });
  });

  describe("held conversions", () => {
    /** The member's available and hold accounts and the destination, as the database holds them. */
    const held = async (setup: Setup) => {
      const balances = await accountBalances(setup.guest.id, `${setup.guest.id}:hold`, setup.flyer.id);
      return {
        available: balances[setup.guest.id],
        hold: balances[`${setup.guest.id}:hold`],
        destination: balances[setup.flyer.id] ?? 0,
      };
    };
    const decide = (reviewId: string, verb: "approve" | "reject", reason?: string) =>
      gw.call("POST", `/v1/reviews/${reviewId}/${verb}`, {
        as: gw.operator,
        body: reason === undefined ? undefined : { reason },
      });

    it("holds above the review threshold, moving the points to pending, and completes on approval", async () => {
      const setup = await setupConversion(gw, {}, { review_threshold_points: 4_000 });
      await setup.fund(10_000);
      const conversion = executed(await setup.execute((await setup.quoted(5_000)).id), 202);
      expect(conversion).toMatchObject({
        status: "held",
        review_id: expect.stringMatching(/^rev_/),
        decided_at: null,
        settlement: { points: 3_000, price_micros: 15_000, currency: "USD" },
      });
      const { id } = conversion;
      const reviewId = conversion.review_id ?? "";

      // The points moved from available to the hold account; nothing reached the destination.
      expect(await held(setup)).toEqual({ available: 5_000, hold: 5_000, destination: 0 });
      expect(await setup.balances()).toMatchObject({
        guest: { available: 5_000, pending: 5_000 },
        flyer: { available: 0 },
      });
      const [hold] = await gw.rows<{ id: string }>(
        "select hold_transaction_id as id from conversions where id = ?",
        id,
      );
      expect(await journal(setup.guest.id)).toEqual([
        expect.objectContaining({ type: "earn" }),
        { id: hold?.id, type: "hold", points: 5_000, reference: id, original_transaction_id: null },
      ]);
      expect(
        await gw.rows("select account_id, amount from ledger_entries where transaction_id = ? order by id", hold?.id),
      ).toEqual([
        { account_id: setup.guest.id, amount: -5_000 },
        { account_id: `${setup.guest.id}:hold`, amount: 5_000 },
      ]);
      expect(await gw.rows("select status, rule, points, conversion_id from reviews where id = ?", reviewId)).toEqual([
        { status: "pending", rule: "review_threshold", points: 5_000, conversion_id: id },
      ]);
      expect(await conversionEvents(id)).toEqual(forOwners(setup, "conversion.held"));
      // Held points cannot be spent meanwhile.
      expectProblem(await setup.hotel.move("burn", setup.guest.externalId, 6_000), 409, "insufficient_points");

      const queue = expectBody(
        await gw.call("GET", "/v1/reviews?status=pending&limit=100", { as: gw.operator }),
        op.listReviews,
        200,
      );
      expect(queue.data).toContainEqual(
        expect.objectContaining({ id: reviewId, rule: "review_threshold", points: 5_000, conversion_id: id }),
      );
      const approved = expectBody(
        await decide(reviewId, "approve", "Member confirmed by phone"),
        op.approveReview,
        200,
      );
      expect(approved).toMatchObject({
        id: reviewId,
        status: "approved",
        decided_by: gw.operator.clientId,
        decision_reason: "Member confirmed by phone",
        conversion: { id, status: "completed", decided_at: approved.decided_at },
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
        await gw.rows("select account_id, amount from ledger_entries where transaction_id = ? order by id", out?.id),
      ).toEqual([
        { account_id: `${setup.guest.id}:hold`, amount: -5_000 },
        { account_id: `${setup.hotel.programId}:conversions_out`, amount: 5_000 },
      ]);
      expect(await journal(setup.flyer.id)).toEqual([
        expect.objectContaining({ type: "conversion_in", points: 3_000, reference: id }),
      ]);
      expect(
        await gw.rows("select status, decided_at is not null as decided from conversions where id = ?", id),
      ).toEqual([{ status: "completed", decided: 1 }]);
      expect(await gw.rows("select status, decided_by, decision_reason from reviews where id = ?", reviewId)).toEqual([
        { status: "approved", decided_by: gw.operator.clientId, decision_reason: "Member confirmed by phone" },
      ]);
      expect(await gw.rows("select decision from review_decisions where review_id = ?", reviewId)).toEqual([
        { decision: "approved" },
      ]);
      expect(await conversionEvents(id)).toEqual(forOwners(setup, "conversion.held", "conversion.completed"));

      // A second decision, either way, is 409 and changes nothing.
      const journalBefore = await journal(setup.guest.id);
      for (const verb of ["reject", "approve"] as const) expectProblem(await decide(reviewId, verb), 409, "conflict");
      expect(await journal(setup.guest.id)).toEqual(journalBefore);
      expect(await held(setup)).toEqual({ available: 5_000, hold: 0, destination: 3_000 });
      const read = await gw.call("GET", `/v1/conversions/${id}`, { as: setup.airline.owner });
      expect(expectBody(read, op.getConversion, 200)).toEqual(approved.conversion);
    });

    it("releases the points back when rejected, freeing the daily maximum, and refuses a second decision", async () => {
      const setup = await setupConversion(gw, { max_points_per_day: 2_000 }, { review_threshold_points: 1_000 });
      await setup.fund(3_000);
      const conversion = executed(await setup.execute((await setup.quoted(2_000)).id), 202);
      const { id } = conversion;
      const reviewId = conversion.review_id ?? "";
      expect(await held(setup)).toEqual({ available: 1_000, hold: 2_000, destination: 0 });
      const usage = () =>
        gw.rows(
          "select points from conversion_daily_usage where member_id = ? and to_program_id = ?",
          setup.guest.id,
          setup.airline.programId,
        );
      expect(await usage()).toEqual([{ points: 2_000 }]);

      const rejected = expectBody(await decide(reviewId, "reject", "Unusual pattern"), op.rejectReview, 200);
      expect(rejected).toMatchObject({
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
      expect(release).toMatchObject({
        type: "release",
        points: 2_000,
        reference: id,
        original_transaction_id: hold?.id,
      });
      expect(
        await gw.rows(
          "select account_id, amount from ledger_entries where transaction_id = ? order by id",
          release?.id,
        ),
      ).toEqual([
        { account_id: `${setup.guest.id}:hold`, amount: -2_000 },
        { account_id: setup.guest.id, amount: 2_000 },
      ]);
      expect(await journal(setup.flyer.id)).toEqual([]);
      expect(await gw.rows("select status from conversions where id = ?", id)).toEqual([{ status: "rejected" }]);
      expect(await gw.rows("select status from reviews where id = ?", reviewId)).toEqual([{ status: "rejected" }]);
      expect(await usage()).toEqual([{ points: 0 }]);
      expect(await conversionEvents(id)).toEqual(forOwners(setup, "conversion.held", "conversion.rejected"));

      expectProblem(await decide(reviewId, "approve"), 409, "conflict");
      expect(await held(setup)).toEqual({ available: 3_000, hold: 0, destination: 0 });
      expect(await gw.rows("select decision from review_decisions where review_id = ?", reviewId)).toEqual([
        { decision: "rejected" },
      ]);
    });

    it("gives concurrent decisions on one review one effect (review_decisions' primary key)", async () => {
      const setup = await setupConversion(gw, {}, { review_threshold_points: 1_000 });
      await setup.fund(3_000);
      const conversion = executed(await setup.execute((await setup.quoted(2_000)).id), 202);
      const reviewId = conversion.review_id ?? "";
      const decisions = await Promise.all([
        decide(reviewId, "reject"),
        decide(reviewId, "approve"),
        decide(reviewId, "approve"),
      ]);
      expect(tally(decisions)).toEqual({ "200": 1, "409 conflict": 2 });
      for (const decision of decisions) expect(decision.text).not.toMatch(/UNIQUE|constraint|SQLITE|D1_/i);
      const winner = expectBody(decisions.find((d) => d.status === 200) as Answer, op.approveReview, 200);
      expect(await gw.rows("select decision from review_decisions where review_id = ?", winner.id)).toEqual([
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

  describe("the ledger after the conversion workload above", () => {
    it("balances, folds every balance, has every conversion's legs and holds exactly what is pending", async () => {
      // The workload above really ran in this database.
      const [workload] = await gw.rows<{ conversions: number; held: number; rejected: number }>(
        `select (select count(*) from conversions where status = 'completed') as conversions,
                (select count(*) from conversions where hold_transaction_id is not null) as held,
                (select count(*) from conversions where status = 'rejected') as rejected`,
      );
      expect(workload?.conversions).toBeGreaterThanOrEqual(8);
      expect(workload?.held).toBeGreaterThanOrEqual(3);
      expect(workload?.rejected).toBeGreaterThanOrEqual(1);
      await expectLedgerInvariants(gw.rows);
      await expectConversionInvariants(gw.rows);
    });
  });
}
