import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePeriod, computePeriod } from "../../gateway/src/domain/settlement/close";
import { setupConversion } from "../support/conversions";
import { createTestGateway, type TestGateway } from "../support/gateway";

/** The portal's preview of a close (computePeriod) is exactly what closePeriod then writes. */
let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw?.close());

/** A statement without what each computation draws afresh: its ids and the period id inside it. */
const comparable = (statement: { id: string; period: { id: string }; content_hash: string }) => ({
  ...statement,
  id: undefined,
  period: { ...statement.period, id: undefined },
  content_hash: undefined,
});

describe("previewing a period close", () => {
  it("computes the statements close writes, and writes nothing itself", async () => {
    const setup = await setupConversion(gw);
    const start = new Date(gw.clock.now().getTime() - 1000);
    await setup.fund(5_000);
    const quote = await setup.quote(2_000);
    expect((await setup.execute(quote.body.id)).status).toBe(201);
    gw.clock.advance(1000);
    const end = gw.clock.now();
    const count = async () =>
      (await gw.deps.reader.all<{ n: number }>("select count(*) as n from statements"))[0]?.n ?? 0;

    const before = await count();
    const preview = await computePeriod(gw.deps, { start, end });
    expect(await count()).toBe(before);
    const closed = await closePeriod(gw.deps, { start, end, closedBy: "test" });
    expect(await count()).toBe(before + closed.statements.length);
    expect(preview.statements.map(comparable)).toEqual(closed.statements.map(comparable));
    // 1,200 miles at the airline's issue price of 15,000 micros: the hotel owes $18.00.
    const hotel = preview.statements.find((statement) => statement.partner.id === setup.hotel.owner.partner.id);
    expect(hotel?.totals.net_amount_minor).toBe(-1_800);
    const settled = await gw.deps.reader.all<{ id: string }>(
      "select id from ledger_transactions where settlement_period_id = ? order by id",
      [closed.id],
    );
    expect(settled.map((row) => row.id)).toEqual([...preview.transactionIds].sort());
    // Once closed, the same period cannot be previewed again: it overlaps.
    await expect(computePeriod(gw.deps, { start, end })).rejects.toMatchObject({ code: "conflict" });
  });
});
