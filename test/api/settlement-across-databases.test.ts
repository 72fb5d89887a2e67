import { afterEach, describe, expect, it } from "vitest";
import type { Deps } from "../../gateway/src/deps";
import { lineAmountMinor } from "../../gateway/src/domain/settlement/money";
import { publishRate } from "../support/conversions";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { newKey, setupProgram } from "../support/ledger";

/**
 * Settlement over a gateway with main and an eu shard (docs/scale-out.md: section 2's table, section 7 item 2): a hotel program on main, an
 * airline program on eu, a grocer earning and burning in both, and hotel points converted to miles (credited on eu,
 * the conversion's row on main). Each database marks its own journal under one period id; the statements, summed
 * from every database's marked rows, are issued in main once.
 */
describe("settlement across databases", () => {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  async function coalition() {
    const gw = await createTestGateway({}, { shards: ["eu"] });
    opened.push(gw.close);
    const operator = await gw.operatorToken();
    const hotel = await setupProgram(gw, { name: "Harbor Rewards", point_name: "point" });
    const airline = await setupProgram(gw, { name: "SkyWays Miles", issue_price_micros: 15_000, database: "eu" });
    const grocer = await gw.onboardPartner({ name: "FreshMart" });
    for (const program of [hotel, airline]) {
      const agreement = await gw.call("POST", `/v1/programs/${program.programId}/agreements`, {
        token: operator,
        body: {
          partner_id: grocer.partner.id,
          can_earn: true,
          can_burn: true,
          issue_price_micros: 11_000,
          redeem_price_micros: 9_000,
        },
      });
      expect(agreement.status, agreement.text).toBe(201);
    }
    await publishRate(gw, operator, {
      from_program_id: hotel.programId,
      to_program_id: airline.programId,
      from_points: 1_000,
      to_points: 600,
      min_points: 1_000,
      increment: 1_000,
      fee_bps: 0,
    });
    const guest = await hotel.enrol("G-1");
    const flyer = await airline.enrol("F-1");
    const database = (name: string) => gw.all.get(name) as Deps;
    return { gw, operator, hotel, airline, grocer, guest, flyer, main: database("main"), eu: database("eu") };
  }
  type Coalition = Awaited<ReturnType<typeof coalition>>;

  /** The grocer earns and burns in both programs; the hotel converts 1,000 of its guest's points to 600 miles. */
  async function trade({ gw, hotel, airline, grocer, guest, flyer }: Coalition) {
    for (const [program, member, earned, burned] of [
      [hotel, guest, 3_000, 100],
      [airline, flyer, 2_000, 300],
    ] as const) {
      expect((await program.move("earn", member, earned, { token: grocer.token })).status).toBe(201);
      expect((await program.move("burn", member, burned, { token: grocer.token })).status).toBe(201);
    }
    const hotelToken = await gw.token(hotel.owner.clientId, hotel.owner.secret);
    const quote = await gw.call("POST", "/v1/conversions/quotes", {
      token: hotelToken,
      body: {
        from_program_id: hotel.programId,
        from_external_id: guest,
        to_program_id: airline.programId,
        to_external_id: flyer,
        from_points: 1_000,
      },
    });
    expect(quote.status, quote.text).toBe(201);
    const converted = await gw.call("POST", "/v1/conversions", {
      token: hotelToken,
      headers: { "Idempotency-Key": newKey() },
      body: { quote_id: quote.body.id },
    });
    expect(converted.body.status, converted.text).toBe("completed");
    gw.clock.advance(1_000);
  }

  const close = (gw: TestGateway, operator: string, start: string, end: string) =>
    gw.call("POST", "/v1/settlement-periods", { token: operator, body: { start, end } });

  async function statementOf(gw: TestGateway, operator: string, periodId: string, partnerId: string) {
    const list = await gw.call("GET", `/v1/settlements?period_id=${periodId}&partner_id=${partnerId}`, {
      token: operator,
    });
    expect(list.status, list.text).toBe(200);
    expect(list.body.data).toHaveLength(1);
    const statement = await gw.call("GET", `/v1/settlements/${list.body.data[0].id}`, { token: operator });
    expect(statement.status, statement.text).toBe(200);
    return statement.body;
  }

  /** Rows of one database: its transactions settled by the period, and main's statements and their events. */
  const count = async (deps: Deps, sql: string, args: string[]) =>
    Number((await deps.reader.all<{ n: number }>(sql, args))[0]?.n);
  const settledBy = (deps: Deps, periodId: string) =>
    count(deps, "select count(*) as n from ledger_transactions where settlement_period_id = ?", [periodId]);
  const issued = async (main: Deps, periodId: string) => ({
    statements: await count(main, "select count(*) as n from statements where period_id = ?", [periodId]),
    events: await count(
      main,
      "select count(*) as n from events where type = 'settlement.statement_ready' and json_extract(payload, '$.data.period.id') = ?",
      [periodId],
    ),
  });

  /** What the grocer's, the hotel's and the airline's statements must say, line by line. */
  async function expectStatements(world: Coalition, periodId: string) {
    const { gw, operator, hotel, airline, grocer } = world;
    const grocerStatement = await statementOf(gw, operator, periodId, grocer.partner.id);
    const lines = grocerStatement.lines.map(
      (line: { kind: string; direction: string; program: { id: string }; points: number }) =>
        `${line.kind} ${line.direction} ${line.program.id} ${line.points}`,
    );
    expect(lines.sort()).toEqual(
      [
        `points_issued payable ${hotel.programId} 3000`,
        `points_issued payable ${airline.programId} 2000`,
        `points_redeemed receivable ${hotel.programId} 100`,
        `points_redeemed receivable ${airline.programId} 300`,
      ].sort(),
    );
    const usd = (points: number, micros: number) => lineAmountMinor(points, micros, "USD");
    expect(grocerStatement.totals.net_amount_minor).toBe(
      usd(100, 9_000) + usd(300, 9_000) - usd(3_000, 11_000) - usd(2_000, 11_000),
    );
    const csv = await gw.call("GET", `/v1/settlements/${grocerStatement.id}.csv`, { token: operator });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain("Harbor Rewards");
    expect(csv.text).toContain("SkyWays Miles");

    // The conversion's miles were credited on eu, its obligation (price, owners) is main's conversion row.
    const airlineStatement = await statementOf(gw, operator, periodId, airline.owner.partner.id);
    const conversionIn = airlineStatement.lines.filter((line: { kind: string }) => line.kind === "conversion_in");
    expect(conversionIn).toMatchObject([
      { direction: "receivable", counterparty: { id: hotel.owner.partner.id }, program: { id: airline.programId } },
    ]);
    expect(conversionIn[0].points).toBe(600);
    const hotelStatement = await statementOf(gw, operator, periodId, hotel.owner.partner.id);
    expect(hotelStatement.lines.filter((line: { kind: string }) => line.kind === "conversion_out")).toMatchObject([
      { direction: "payable", counterparty: { id: airline.owner.partner.id }, points: 600 },
    ]);
  }

  it("settles both databases' journals into one statement per partner, once", async () => {
    const world = await coalition();
    const { gw, operator, main, eu } = world;
    const start = new Date(gw.clock.now().getTime() - 60_000).toISOString();
    await trade(world);
    const end = gw.clock.now().toISOString();

    const closed = await close(gw, operator, start, end);
    expect(closed.status, closed.text).toBe(201);
    const periodId: string = closed.body.id;
    // Three partners with agreements (the two owners, the grocer), all in USD.
    expect(closed.body.statements).toHaveLength(3);
    await expectStatements(world, periodId);
    const onEu = await settledBy(eu, periodId);
    expect(onEu).toBeGreaterThanOrEqual(3); // the grocer's earn and burn, the conversion's miles
    expect(
      await count(eu, "select count(*) as n from ledger_transactions where settlement_period_id is null", []),
    ).toBe(0);
    expect(await issued(main, periodId)).toEqual({ statements: 3, events: 3 });

    const again = await close(gw, operator, start, end);
    expect(again.status, again.text).toBe(409);
    expect(await issued(main, periodId)).toEqual({ statements: 3, events: 3 });
    expect(await settledBy(eu, periodId)).toBe(onEu);
  });

  it("issues a period closed on one database with no statement, so a later close across databases follows it", async () => {
    const gw = await createTestGateway();
    opened.push(gw.close);
    const start = new Date(gw.clock.now().getTime() - 60_000).toISOString();
    const closed = await close(gw, await gw.operatorToken(), start, gw.clock.now().toISOString());
    expect(closed.status, closed.text).toBe(201);
    expect(closed.body.statements).toEqual([]);
    const main = gw.all.get("main") as Deps;
    expect(await count(main, "select count(*) as n from statement_issues where period_id = ?", [closed.body.id])).toBe(
      1,
    );
  });

  it("finishes a close that failed part-way when it is repeated, counting every line once", async () => {
    const world = await coalition();
    const { gw, operator, main, eu } = world;
    const start = new Date(gw.clock.now().getTime() - 60_000).toISOString();
    await trade(world);
    const end = gw.clock.now().toISOString();

    // eu cannot be written: main marks its journal, eu does not, and no statement is issued.
    const write = eu.writer.write;
    eu.writer.write = () => Promise.reject(new Error("the database cannot be reached"));
    const failed = await close(gw, operator, start, end);
    eu.writer.write = write;
    expect(failed.status, failed.text).toBe(503);
    expect(failed.body.code).toBe("service_unavailable");
    expect(failed.body.detail).toContain("The database eu");
    expect(failed.body.detail).not.toContain("cannot be reached"); // the driver's text is logged, not answered
    const [period] = await main.reader.all<{ id: string }>("select id from settlement_periods", []);
    const periodId = period?.id as string;
    expect(await settledBy(main, periodId)).toBeGreaterThan(0);
    expect(await settledBy(eu, periodId)).toBe(0);
    expect(await issued(main, periodId)).toEqual({ statements: 0, events: 0 });
    expect((await gw.call("GET", `/v1/settlements?period_id=${periodId}`, { token: operator })).body.data).toEqual([]);
    // Another period cannot be closed over the unfinished one.
    gw.clock.advance(60_000);
    const later = await close(gw, operator, end, gw.clock.now().toISOString());
    expect(later.status, later.text).toBe(409);

    // eu marks, then main's issue fails: the statements wait for the next repeat, summed from what is marked.
    const mainWrite = main.writer.write;
    main.writer.write = (statements) =>
      statements[0]?.sql.includes("statement_issues")
        ? Promise.reject(new Error("crash before the statements"))
        : mainWrite(statements);
    const crashed = await close(gw, operator, start, end);
    main.writer.write = mainWrite;
    expect(crashed.status, crashed.text).toBe(503);
    expect(crashed.body.detail).toContain("The database main");
    const onEu = await settledBy(eu, periodId);
    expect(onEu).toBeGreaterThanOrEqual(3);
    expect(await issued(main, periodId)).toEqual({ statements: 0, events: 0 });

    // eu cannot be read while the statements are summed: 503 again, nothing issued.
    const read = eu.reader.all;
    eu.reader.all = () => Promise.reject(new Error("the database cannot be reached"));
    const unread = await close(gw, operator, start, end);
    eu.reader.all = read;
    expect(unread.status, unread.text).toBe(503);
    expect(unread.body.detail).toContain("The database eu");
    expect(await issued(main, periodId)).toEqual({ statements: 0, events: 0 });

    const finished = await close(gw, operator, start, end);
    expect(finished.status, finished.text).toBe(201);
    expect(finished.body.id).toBe(periodId);
    await expectStatements(world, periodId);
    expect(await issued(main, periodId)).toEqual({ statements: 3, events: 3 });
    expect(await settledBy(eu, periodId)).toBe(onEu);
    expect((await close(gw, operator, start, end)).status).toBe(409);
    expect(await issued(main, periodId)).toEqual({ statements: 3, events: 3 });
  });
});
