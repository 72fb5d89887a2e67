import { afterEach, describe, expect, it, vi } from "vitest";
import type { Deps } from "../../gateway/src/deps";
import { relayConversionSagas } from "../../gateway/src/domain/conversions/relay";
import { expectLedgerInvariants as ledgerInvariants } from "../scenarios/invariants";
import { publishRate } from "../support/conversions";
import { createTestGateway } from "../support/gateway";
import { newKey, setupProgram } from "../support/ledger";

/**
 * Conversions from a hotel program on `main` to an airline program on `eu` (docs/scale-out.md, section 3), driven
 * through the API of a gateway over two embedded files, as the Node entry serves it.
 */
describe("conversions between programs on different databases", () => {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const close of opened.splice(0)) await close();
  });

  async function sharded(hotelProgram: Record<string, unknown> = {}) {
    const gw = await createTestGateway({}, { shards: ["eu"] });
    opened.push(gw.close);
    const hotel = await setupProgram(gw, { name: "Harbor Rewards", point_name: "point", ...hotelProgram });
    const airline = await setupProgram(gw, { name: "SkyWays Miles", issue_price_micros: 15_000, database: "eu" });
    await publishRate(gw, await gw.operatorToken(), {
      from_program_id: hotel.programId,
      to_program_id: airline.programId,
      from_points: 1_000,
      to_points: 600,
      min_points: 1_000,
      increment: 1_000,
      fee_bps: 0,
      max_points_per_day: 5_000,
    });
    const database = (name: "main" | "eu") => {
      const deps = gw.all.get(name);
      if (!deps) throw new Error(`no database ${name}`);
      return deps;
    };
    const [main, eu] = [database("main"), database("eu")];
    const hotelToken = () => gw.token(hotel.owner.clientId, hotel.owner.secret);
    const airlineToken = () => gw.token(airline.owner.clientId, airline.owner.secret);
    const guest = await hotel.enrol("G-1");
    const flyer = await airline.enrol("F-1");

    const fund = async (points: number) =>
      expect(
        (
          await gw.call("POST", "/v1/transactions/earn", {
            token: await hotelToken(),
            headers: { "Idempotency-Key": newKey() },
            body: { program_id: hotel.programId, external_id: guest, points, reference: "stay" },
          })
        ).status,
      ).toBe(201);
    const quote = async (fromPoints: number) => {
      const response = await gw.call("POST", "/v1/conversions/quotes", {
        token: await hotelToken(),
        body: {
          from_program_id: hotel.programId,
          from_external_id: guest,
          to_program_id: airline.programId,
          to_external_id: flyer,
          from_points: fromPoints,
        },
      });
      expect(response.status, response.text).toBe(201);
      return response.body.id as string;
    };
    const execute = async (quoteId: string, key = newKey()) =>
      gw.call("POST", "/v1/conversions", {
        token: await hotelToken(),
        headers: { "Idempotency-Key": key },
        body: { quote_id: quoteId },
      });
    const get = async (id: string) => gw.call("GET", `/v1/conversions/${id}`, { token: await hotelToken() });
    const balances = async () => ({
      guest: (await gw.call("GET", `/v1/programs/${hotel.programId}/members/${guest}`, { token: await hotelToken() }))
        .body.balance,
      flyer: (
        await gw.call("GET", `/v1/programs/${airline.programId}/members/${flyer}`, { token: await airlineToken() })
      ).body.balance,
    });
    /** The conversion's journal rows in each database, by type. */
    const journal = async (id: string) => {
      const rows = async (deps: Deps) =>
        (
          await deps.reader.all<{ type: string }>(
            "select type from ledger_transactions where reference = ? order by id",
            [id],
          )
        ).map((row) => row.type);
      return { main: await rows(main), eu: await rows(eu) };
    };
    const events = async (id: string) =>
      (
        await main.reader.all<{ type: string; partner_id: string }>(
          "select type, partner_id from events where json_extract(payload, '$.data.id') = ?",
          [id],
        )
      )
        .map((row) => `${row.type} ${row.partner_id === hotel.owner.partner.id ? "hotel" : "airline"}`)
        .sort();
    const relay = async () => ({
      main: await relayConversionSagas(main),
      eu: await relayConversionSagas(eu),
    });
    const invariants = async () => {
      for (const deps of [main, eu])
        await ledgerInvariants((query, ...args) => deps.reader.all(query, args as never[]));
    };
    return {
      gw,
      main,
      eu,
      hotel,
      airline,
      guest,
      flyer,
      fund,
      quote,
      execute,
      get,
      balances,
      journal,
      events,
      relay,
      invariants,
    };
  }

  it("completes at once: debited once in the source, credited once in the destination, both told", async () => {
    const s = await sharded();
    await s.fund(5_000);
    const quoteId = await s.quote(2_000);
    const key = newKey();
    const executed = await s.execute(quoteId, key);
    expect(executed.status, executed.text).toBe(201);
    expect(executed.body).toMatchObject({
      status: "completed",
      quote_id: quoteId,
      to_external_id: s.flyer,
      from_points: 2_000,
      to_points: 1_200,
      decided_at: expect.any(String),
    });
    expect(executed.body).not.toHaveProperty("failure_reason");
    const { id } = executed.body;

    expect(await s.balances()).toMatchObject({
      guest: { available: 3_000, pending: 0 },
      flyer: { available: 1_200 },
    });
    // The source reserved and settled from the hold; the destination credited once; nothing crossed over.
    expect(await s.journal(id)).toEqual({ main: ["hold", "conversion_out"], eu: ["conversion_in"] });
    expect(await s.events(id)).toEqual(["conversion.completed airline", "conversion.completed hotel"].sort());

    const shown = await s.get(id);
    expect(shown.status).toBe(200);
    expect(shown.text).toBe(executed.text);
    const retried = await s.execute(quoteId, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retried.text).toBe(executed.text);
    // Nothing is left for the relay, and running it changes nothing.
    expect(await s.relay()).toEqual({ main: { delivered: 0, failed: 0 }, eu: { delivered: 0, failed: 0 } });
    expect(await s.journal(id)).toEqual({ main: ["hold", "conversion_out"], eu: ["conversion_in"] });
    await s.invariants();
  });

  it("answers 202 pending while the destination is down, and the relay completes it exactly once", async () => {
    const s = await sharded();
    await s.fund(5_000);
    const quoteId = await s.quote(3_000);
    const down = vi.spyOn(s.eu.writer, "write").mockRejectedValue(new Error("eu unreachable"));
    const key = newKey();
    const pending = await s.execute(quoteId, key);
    expect(pending.status, pending.text).toBe(202);
    expect(pending.body).toMatchObject({ status: "pending", review_id: null, decided_at: null });
    const { id } = pending.body;
    expect((await s.get(id)).body.status).toBe("pending");
    // The points are in transit: held in the source, not yet in the destination.
    expect(await s.balances()).toMatchObject({ guest: { available: 2_000, pending: 3_000 }, flyer: { available: 0 } });
    expect((await s.execute(quoteId, key)).text).toBe(pending.text);
    expect(await s.relay()).toEqual({ main: { delivered: 0, failed: 1 }, eu: { delivered: 0, failed: 0 } });

    down.mockRestore();
    expect(await s.relay()).toEqual({ main: { delivered: 1, failed: 0 }, eu: { delivered: 1, failed: 0 } });
    const completed = await s.get(id);
    expect(completed.body).toMatchObject({ id, status: "completed", decided_at: expect.any(String) });
    const retried = await s.execute(quoteId, key);
    expect(retried.status).toBe(201);
    expect(retried.text).toBe(completed.text);
    expect(await s.balances()).toMatchObject({ guest: { available: 2_000, pending: 0 }, flyer: { available: 1_800 } });
    expect(await s.relay()).toEqual({ main: { delivered: 0, failed: 0 }, eu: { delivered: 0, failed: 0 } });
    expect(await s.journal(id)).toEqual({ main: ["hold", "conversion_out"], eu: ["conversion_in"] });
    expect(await s.events(id)).toEqual(["conversion.completed airline", "conversion.completed hotel"].sort());
    await s.invariants();
  });

  it("fails when the destination member was erased meanwhile: points and daily maximum given back", async () => {
    const s = await sharded();
    await s.fund(5_000);
    const quoteId = await s.quote(3_000);
    const down = vi.spyOn(s.eu.writer, "write").mockRejectedValue(new Error("eu unreachable"));
    const key = newKey();
    const { id } = (await s.execute(quoteId, key)).body;
    down.mockRestore();
    const erased = await s.gw.call("POST", `/v1/programs/${s.airline.programId}/members/${s.flyer}/erase`, {
      token: await s.gw.token(s.airline.owner.clientId, s.airline.owner.secret),
    });
    expect(erased.status, erased.text).toBe(200);

    expect(await s.relay()).toEqual({ main: { delivered: 1, failed: 0 }, eu: { delivered: 1, failed: 0 } });
    const failed = await s.get(id);
    expect(failed.body).toMatchObject({
      id,
      status: "failed",
      failure_reason: expect.stringMatching(/^invalid_state: /),
      decided_at: expect.any(String),
    });
    const retried = await s.execute(quoteId, key);
    expect(retried.status).toBe(201);
    expect(retried.text).toBe(failed.text);
    expect(await s.balances()).toMatchObject({ guest: { available: 5_000, pending: 0 } });
    expect(await s.journal(id)).toEqual({ main: ["hold", "release"], eu: [] });
    expect(await s.events(id)).toEqual(["conversion.failed airline", "conversion.failed hotel"].sort());
    // The 3,000 points count no more towards today's maximum.
    expect(await s.main.reader.all("select points from conversion_daily_usage")).toEqual([{ points: 0 }]);
    await s.invariants();
  });

  it("starts the saga when a held conversion is approved, and releases the hold when one is rejected", async () => {
    const s = await sharded({ review_threshold_points: 1_000 });
    await s.fund(5_000);
    const held = await s.execute(await s.quote(2_000));
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: "held", review_id: expect.stringMatching(/^rev_/) });
    const operator = await s.gw.operatorToken();
    const approved = await s.gw.call("POST", `/v1/reviews/${held.body.review_id}/approve`, { token: operator });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", conversion: { id: held.body.id, status: "pending" } });
    expect((await s.get(held.body.id)).body).toMatchObject({ status: "completed" });
    expect(await s.journal(held.body.id)).toEqual({ main: ["hold", "conversion_out"], eu: ["conversion_in"] });
    expect(await s.events(held.body.id)).toEqual(
      [
        "conversion.held airline",
        "conversion.held hotel",
        "conversion.completed airline",
        "conversion.completed hotel",
      ].sort(),
    );
    const again = await s.gw.call("POST", `/v1/reviews/${held.body.review_id}/approve`, { token: operator });
    expect(again.status).toBe(409);

    const other = await s.execute(await s.quote(2_000));
    const rejected = await s.gw.call("POST", `/v1/reviews/${other.body.review_id}/reject`, { token: operator });
    expect(rejected.status, rejected.text).toBe(200);
    expect((await s.get(other.body.id)).body).toMatchObject({ status: "rejected" });
    expect(await s.journal(other.body.id)).toEqual({ main: ["hold", "release"], eu: [] });
    expect(await s.balances()).toMatchObject({ guest: { available: 3_000, pending: 0 }, flyer: { available: 1_200 } });
    expect(await s.relay()).toEqual({ main: { delivered: 0, failed: 0 }, eu: { delivered: 0, failed: 0 } });
    await s.invariants();
  });

  it("never overdraws a member whose conversions race", async () => {
    const s = await sharded();
    await s.fund(3_000);
    const quotes = [];
    for (let i = 0; i < 6; i++) quotes.push(await s.quote(1_000));
    const answers = await Promise.all(quotes.map((quoteId) => s.execute(quoteId)));
    const statuses = answers.map((answer) => `${answer.status} ${answer.body.code ?? answer.body.status}`).sort();
    expect(statuses).toEqual([
      "201 completed",
      "201 completed",
      "201 completed",
      "409 insufficient_points",
      "409 insufficient_points",
      "409 insufficient_points",
    ]);
    expect(await s.balances()).toMatchObject({ guest: { available: 0, pending: 0 }, flyer: { available: 1_800 } });
    await s.invariants();
  });
});
