import { describe, expect, it } from "vitest";
import { networkTables } from "../../gateway/src/domain/reports/network";
import { onboardPartner, setupConversion } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectCsvOf, plusDays, reportCalls } from "./report-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

type Pair = Awaited<ReturnType<typeof setupConversion>>;

/** Converts `points` of the pair's guest (quoted and executed at once); answers the conversion as executed. */
async function convert(pair: Pair, points: number, status: 201 | 202 = 201) {
  const quote = await pair.quoted(points);
  return expectBody(await pair.execute(quote.id), op.executeConversion, status);
}

const decide = async (gw: Gateway, reviewId: string | null, verb: "approve" | "reject") =>
  expect(
    (await gw.call("POST", `/v1/reviews/${reviewId}/${verb}`, { as: gw.operator, body: { reason: "checked" } })).status,
  ).toBe(200);

/**
 * The network report (issue 21): points between programs by conversions per program pair (a held conversion when
 * approved, a rejected one never) and money between partners per settlement period from the statements, over UTC
 * days, against hand counts; each CSV table equal to its JSON; the operator's alone.
 */
export function networkReportScenarios(target: Target) {
  const gw = connect(target);

  describe("network report", () => {
    it("sums conversions per program pair when they complete and the money partners owe per period, as the statements say", async () => {
      const day1 = plusDays(gw.clock.now().toISOString().slice(0, 10), 1);
      const day2 = plusDays(day1, 1);
      const day3 = plusDays(day1, 2);
      gw.clock.set(`${day1}T10:00:00Z`);
      // Hotel -> airline at 1,000:600 with a 1% fee, conversions above 4,000 held; a second pair without fees.
      const main = await setupConversion(gw, { fee_bps: 100 }, { review_threshold_points: 4_000 });
      const other = await setupConversion(gw);
      await main.fund(20_000);
      await other.fund(5_000);
      await convert(main, 2_000); // fee 20, 1,188 miles
      await convert(other, 1_000); // 600 miles
      gw.clock.set(`${day1}T11:00:00Z`);
      const held = await convert(main, 5_000, 202); // fee 50, 2,970 miles once approved
      gw.clock.set(`${day1}T12:00:00Z`);
      const rejected = await convert(main, 5_000, 202);
      await decide(gw, rejected.review_id, "reject");
      // The first day is settled before the held conversion is approved: it falls in the second period.
      gw.clock.set(`${day2}T09:00:00Z`);
      const close = async (start: string, end: string) =>
        expectBody(
          await gw.call("POST", "/v1/settlement-periods", { as: gw.operator, body: { start, end } }),
          op.closeSettlementPeriod,
          201,
        );
      const first = await close(`${day1}T00:00:00.000Z`, `${day2}T00:00:00.000Z`);
      await decide(gw, held.review_id, "approve");
      gw.clock.set(`${day3}T01:00:00Z`);
      const second = await close(`${day2}T00:00:00.000Z`, `${day3}T00:00:00.000Z`);

      const report = reportCalls(gw, "/v1/reports/network");
      const read = async (from: string, to: string) =>
        expectBody(await report.json(gw.operator, { from, to }), op.getNetworkReport, 200);
      const flow = (pair: Pair, conversions: number, from: number, to: number, fee: number) => ({
        from_program_id: pair.hotel.programId,
        from_program_name: pair.hotel.program.name,
        from_partner_id: pair.hotel.owner.id,
        to_program_id: pair.airline.programId,
        to_program_name: pair.airline.program.name,
        to_partner_id: pair.airline.owner.id,
        conversions,
        from_points: from,
        to_points: to,
        fee_points: fee,
      });
      // 1,188 and 2,970 miles at the airline's issue price of 15,000 micros: 17.82 and 44.55; 600 miles: 9.00.
      const owed = (period: typeof first, pair: Pair, amountMinor: number) => ({
        period_id: period.id,
        period_start: period.start,
        period_end: period.end,
        payer_partner_id: pair.hotel.owner.id,
        payer_name: pair.hotel.owner.name,
        payee_partner_id: pair.airline.owner.id,
        payee_name: pair.airline.owner.name,
        currency: "USD",
        amount: (amountMinor / 100).toFixed(2),
        amount_minor: amountMinor,
        lines: 1,
      });
      const byPayer = (a: { payer_name: string }, b: { payer_name: string }) =>
        a.payer_name.localeCompare(b.payer_name);

      const firstDay = await read(day1, day1);
      expect(firstDay).toMatchObject({ timezone: "UTC", from: day1, to: day1 });
      expect(firstDay.conversions).toEqual([flow(main, 1, 2_000, 1_188, 20), flow(other, 1, 1_000, 600, 0)]);
      expect(firstDay.totals).toEqual({ conversions: 2, from_points: 3_000, to_points: 1_788, fee_points: 20 });
      expect(firstDay.settlements).toEqual([owed(first, main, 1_782), owed(first, other, 900)].sort(byPayer));

      const secondDay = await read(day2, day2);
      expect(secondDay.conversions).toEqual([flow(main, 1, 5_000, 2_970, 50)]);
      expect(secondDay.settlements).toEqual([owed(second, main, 4_455)]);

      const both = await read(day1, day3);
      expect(both.conversions).toEqual([flow(main, 2, 7_000, 4_158, 70), flow(other, 1, 1_000, 600, 0)]);
      expect(both.settlements).toEqual([
        ...[owed(first, main, 1_782), owed(first, other, 900)].sort(byPayer),
        owed(second, main, 4_455),
      ]);
      // The payers' statements say the same: each one's payable total.
      for (const [period, pair, amount] of [
        [first, main, 1_782],
        [second, main, 4_455],
      ] as const) {
        const statement = period.statements.find((s) => s.partner_id === pair.hotel.owner.id);
        expect(statement?.net_amount_minor).toBe(-amount);
      }
      for (const table of ["conversions", "settlements"] as const)
        expectCsvOf(await report.csv(gw.operator, { from: day1, to: day3, table }), networkTables[table], both[table]);
      expect((await read(plusDays(day3, 1), plusDays(day3, 1))).conversions).toEqual([]);
    });

    it("is the operator's alone, and refuses a bad range with 400 naming it", async () => {
      const partner = await onboardPartner(gw);
      const report = reportCalls(gw, "/v1/reports/network");
      for (const call of [report.json, report.csv]) {
        expectProblem(await call(partner), 403, "forbidden");
        expect((await call(gw.operator)).status).toBe(200);
        for (const [query, path] of [
          [{ from: "2026-02-30" }, "from"],
          [{ from: "2026-03-02", to: "2026-03-01" }, "to"],
        ] as const) {
          const problem = expectProblem(await call(gw.operator, query), 400, "validation_failed");
          expect(problem.errors?.map((e) => e.path)).toEqual([path]);
        }
      }
      expectProblem(await gw.call("GET", "/v1/reports/network"), 401, "unauthorized");
    });
  });
}
