import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAgreement, onboardPartner } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";
import { DAY, HOUR, transferProgram, transferRow } from "./transfer-fixtures";

/** "YYYY-MM" of a UTC year and month index (0-11, overflowing into the next year). */
const monthOf = (year: number, month: number) => {
  const at = new Date(Date.UTC(year, month, 1));
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
};

/**
 * Transfers under pressure (issue 19, item 5): the monthly maximum at the month's edge in the program's time zone,
 * racing transfers out of one balance, FIFO expiry of the points received and sent, and a settlement period closed
 * after transfers. Checked through the API and in the database the gateway wrote (libSQL on Node, D1 in workerd).
 */
export function transferLimitScenarios(target: Target) {
  const gw = connect(target);
  /** Where the settlement period starts: before anything these scenarios move. */
  let fileStart = "";
  beforeAll(() => {
    fileStart = gw.clock.now().toISOString();
  });

  afterAll(async () => {
    await expectLedgerInvariants(gw.rows);
  });

  describe("the monthly maximum", () => {
    it("counts the calendar month in the program's time zone, reaching the maximum exactly allowed", async () => {
      // São Paulo is UTC-3 all year: 02:00 UTC on the 1st is still 23:00 on the last day of the month before there.
      const now = gw.clock.now();
      const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()];
      const localMidnight = Date.UTC(year, month + 1, 1, 3);
      gw.clock.set(new Date(localMidnight - HOUR));
      const world = await transferProgram(
        gw,
        { max_points_per_member_per_month: 1_000 },
        { timezone: "America/Sao_Paulo" },
      );
      const ana = await world.funded(5_000);
      const ben = await world.funded(0);
      const first = await world.sent(ana.externalId, ben.externalId, 600);
      const second = await world.sent(ana.externalId, ben.externalId, 400); // exactly 1000
      const problem = expectProblem(await world.send(ana.externalId, ben.externalId, 1), 409, "limit_exceeded");
      expect(problem.detail).toMatch(/1000 points per calendar month/);
      expect(problem.detail).toContain(monthOf(year, month));
      // One second before local midnight the month is still full; at midnight (São Paulo) a new one begins.
      gw.clock.set(new Date(localMidnight - 1_000));
      expectProblem(await world.send(ana.externalId, ben.externalId, 1), 409, "limit_exceeded");
      gw.clock.set(new Date(localMidnight));
      const third = await world.sent(ana.externalId, ben.externalId, 1_000);
      expectProblem(await world.send(ana.externalId, ben.externalId, 1), 409, "limit_exceeded");
      expect((await transferRow(gw, first.id)).month).toBe(monthOf(year, month));
      expect((await transferRow(gw, second.id)).month).toBe(monthOf(year, month));
      expect((await transferRow(gw, third.id)).month).toBe(monthOf(year, month + 1));
      expect(await world.points(ana.externalId)).toEqual({ available: 3_000, pending: 0 });
    });

    it("counts the points sent, the fee included, and not what the member received", async () => {
      const world = await transferProgram(gw, { max_points_per_member_per_month: 1_000, fee_bps: 5_000 });
      const ana = await world.funded(2_000);
      const ben = await world.funded(0);
      expect(await world.sent(ana.externalId, ben.externalId, 1_000)).toMatchObject({ received_points: 500 });
      expectProblem(await world.send(ana.externalId, ben.externalId, 2), 409, "limit_exceeded");
      // What Ben received does not count against what Ben may send.
      expect(await world.sent(ben.externalId, ana.externalId, 500)).toMatchObject({ received_points: 250 });
    });
  });

  describe("racing transfers", () => {
    it("never passes the monthly maximum under 20 parallel transfers out of one balance", async () => {
      const world = await transferProgram(gw, { max_points_per_member_per_month: 600, fee_bps: 1_000 });
      const ana = await world.funded(10_000);
      const friends = await Promise.all(Array.from({ length: 4 }, () => world.funded(0)));
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          world.send(ana.externalId, friends[i % friends.length]?.externalId ?? "", 50),
        ),
      );
      expect(tally(answers)).toEqual({ "201": 12, "409 limit_exceeded": 8 });
      for (const answer of answers) expect(answer.text).not.toMatch(/CHECK|constraint|SQLITE|D1_/i);
      expect(await world.points(ana.externalId)).toEqual({ available: 9_400, pending: 0 });
      const received = await Promise.all(friends.map((f) => world.points(f.externalId)));
      expect(received.reduce((sum, p) => sum + p.available, 0)).toBe(12 * 45);
      expect(await gw.rows("select sum(points) as sent from transfers where from_member_id = ?", ana.id)).toEqual([
        { sent: 600 },
      ]);
      expect(await gw.rows("select balance from accounts where id = ?", `${world.programId}:transfer_fees`)).toEqual([
        { balance: 12 * 5 },
      ]);
    });

    it("never overdraws under 20 parallel transfers of more than the balance holds, the sums exact", async () => {
      const world = await transferProgram(gw, { max_points_per_member_per_month: 5_000 });
      const ana = await world.funded(430);
      const ben = await world.funded(0);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => world.send(ana.externalId, ben.externalId, 50)),
      );
      expect(tally(answers)).toEqual({ "201": 8, "409 insufficient_points": 12 });
      expect(await world.points(ana.externalId)).toEqual({ available: 30, pending: 0 });
      expect(await world.points(ben.externalId)).toEqual({ available: 400, pending: 0 });
      const balances = answers
        .filter((a) => a.status === 201)
        .map((a) => expectBody(a, op.createTransfer, 201))
        .map((t) => [t.from_balance_after, t.to_balance_after])
        .sort(([a], [b]) => (b ?? 0) - (a ?? 0));
      // Each answer's balances are those its own write left: 380/50, 330/100, ... 30/400, each once.
      expect(balances).toEqual(Array.from({ length: 8 }, (_, i) => [380 - 50 * i, 50 * (i + 1)]));
      expect(await gw.rows("select count(*) as n from transfers where from_member_id = ?", ana.id)).toEqual([{ n: 8 }]);
    });
  });

  describe("expiry of transferred points", () => {
    it("expires received points on their own date and consumes the sender's oldest lots first (FIFO)", async () => {
      const world = await transferProgram(gw, {}, { points_expire_after_days: 30 });
      const ana = await world.funded(0);
      const ben = await world.funded(0);
      const t0 = gw.clock.now().getTime();
      await world.earn(ana.externalId, 100);
      await world.earn(ben.externalId, 50);
      gw.clock.advance(DAY);
      await world.earn(ana.externalId, 100);
      gw.clock.advance(DAY);
      const t2 = gw.clock.now().getTime();
      // Ana's first lot (100) and half her second go; Ben's lot of 150 expires 30 days from now.
      const transfer = await world.sent(ana.externalId, ben.externalId, 150);
      const expiring = async (externalId: string) =>
        (await world.balance(externalId)).expiring.map((lot) => [lot.points, Date.parse(lot.expires_at)]);
      expect(await expiring(ana.externalId)).toEqual([[50, t0 + DAY + 30 * DAY]]);
      expect(await expiring(ben.externalId)).toEqual([
        [50, t0 + 30 * DAY],
        [150, t2 + 30 * DAY],
      ]);
      const [lot] = await gw.rows<{ expires_at: number }>(
        "select expires_at from ledger_transactions where id = ?",
        (await transferRow(gw, transfer.id)).in_transaction_id,
      );
      expect(lot?.expires_at).toBe(t2 + 30 * DAY);
      // Ben spends 60: his own older 50 first, then 10 of what he received.
      await world.burn(ben.externalId, 60);
      expect(await expiring(ben.externalId)).toEqual([[140, t2 + 30 * DAY]]);

      const expired = async (externalId: string, memberId: string) => ({
        available: (await world.points(externalId)).available,
        expired: (
          await gw.rows<{ points: number }>(
            "select coalesce(sum(points), 0) as points from ledger_transactions where member_id = ? and type = 'expiry'",
            memberId,
          )
        )[0]?.points,
      });
      // Ana's first lot's date: spent already, nothing expires for either.
      gw.clock.set(new Date(t0 + 30 * DAY + 1_000));
      await gw.runJobs();
      expect(await expired(ana.externalId, ana.id)).toEqual({ available: 50, expired: 0 });
      expect(await expired(ben.externalId, ben.id)).toEqual({ available: 140, expired: 0 });
      // Ana's second lot's date: its 50 left expire, as her balance said.
      gw.clock.set(new Date(t0 + DAY + 30 * DAY + 1_000));
      await gw.runJobs();
      expect(await expired(ana.externalId, ana.id)).toEqual({ available: 0, expired: 50 });
      expect(await expired(ben.externalId, ben.id)).toEqual({ available: 140, expired: 0 });
      // The received lot's own date: what is left of it expires.
      gw.clock.set(new Date(t2 + 30 * DAY - 1_000));
      await gw.runJobs();
      expect(await expired(ben.externalId, ben.id)).toEqual({ available: 140, expired: 0 });
      gw.clock.set(new Date(t2 + 30 * DAY + 1_000));
      await gw.runJobs();
      expect(await expired(ben.externalId, ben.id)).toEqual({ available: 0, expired: 140 });
      expect(await expiring(ben.externalId)).toEqual([]);
    });

    it("consumes a held transfer's points through its hold, and gives them back to expiry when rejected", async () => {
      const world = await transferProgram(gw, {}, { points_expire_after_days: 30, review_threshold_points: 100 });
      const ana = await world.funded(0);
      const ben = await world.funded(0);
      const t0 = gw.clock.now().getTime();
      await world.earn(ana.externalId, 300);
      const approved = expectBody(await world.send(ana.externalId, ben.externalId, 200), op.createTransfer, 202);
      const rejected = expectBody(await world.send(ana.externalId, ben.externalId, 100), op.createTransfer, 201);
      expect(rejected.status).toBe("completed"); // at the threshold: not held
      const expiring = async (externalId: string) =>
        (await world.balance(externalId)).expiring.map((lot) => [lot.points, Date.parse(lot.expires_at)]);
      expect(await expiring(ana.externalId)).toEqual([]);
      gw.clock.advance(HOUR);
      const t1 = gw.clock.now().getTime();
      const decided = expectBody(
        await gw.call("POST", `/v1/reviews/${approved.review_id}/approve`, { as: gw.operator }),
        op.approveReview,
        200,
      );
      expect(decided.transfer).toMatchObject({ status: "completed", to_balance_after: 300 });
      // Approved later, the received lot expires 30 days from the approval; Ana's lot is not consumed twice.
      expect(await expiring(ana.externalId)).toEqual([]);
      expect(await expiring(ben.externalId)).toEqual([
        [100, t0 + 30 * DAY],
        [200, t1 + 30 * DAY],
      ]);
      // While held, a transfer's points are consumed through its hold; rejected, they are back in FIFO in full.
      await world.earn(ana.externalId, 200);
      const held = expectBody(await world.send(ana.externalId, ben.externalId, 150), op.createTransfer, 202);
      expect(await expiring(ana.externalId)).toEqual([[50, t1 + 30 * DAY]]);
      expectProblem(await world.send(ana.externalId, ben.externalId, 51), 409, "insufficient_points");
      expectBody(
        await gw.call("POST", `/v1/reviews/${held.review_id}/reject`, { as: gw.operator }),
        op.rejectReview,
        200,
      );
      expect(await expiring(ana.externalId)).toEqual([[200, t1 + 30 * DAY]]);
    });
  });

  describe("settlement", () => {
    it("closes a period after transfers: no transfer lines, the statements still add up to the journal", async () => {
      const world = await transferProgram(gw, { fee_bps: 1_000 });
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, world.programId, grocer.id, { issue_price_micros: 11_000, redeem_price_micros: 9_000 });
      const ana = await world.funded(0);
      const ben = await world.funded(0);
      await world.earn(ana.externalId, 1_000, { as: grocer });
      await world.sent(ana.externalId, ben.externalId, 500, { as: grocer }); // Ben receives 450
      await world.burn(ben.externalId, 300, { as: grocer });
      gw.clock.advance(60_000);
      const closed = expectBody(
        await gw.call("POST", "/v1/settlement-periods", {
          as: gw.operator,
          body: { start: fileStart, end: gw.clock.now().toISOString() },
        }),
        op.closeSettlementPeriod,
        201,
      );
      const statementOf = async (partnerId: string) => {
        const summary = closed.statements.find((s) => s.partner_id === partnerId);
        return expectBody(
          await gw.call("GET", `/v1/settlements/${summary?.id}`, { as: gw.operator }),
          op.getSettlement,
          200,
        );
      };
      const grocers = await statementOf(grocer.id);
      // The grocer paid for 1000 points issued and is paid for 300 redeemed; the transfer moved no money.
      expect(grocers.lines.map((l) => [l.kind, l.direction, l.points, l.price_micros, l.amount_minor])).toEqual([
        ["points_issued", "payable", 1_000, 11_000, 1_100],
        ["points_redeemed", "receivable", 300, 9_000, 270],
      ]);
      const owner = await statementOf(world.owner.id);
      const between = owner.lines.filter((l) => l.counterparty?.id === grocer.id);
      expect(between.map((l) => [l.kind, l.direction, l.points, l.amount_minor])).toEqual([
        ["points_issued", "receivable", 1_000, 1_100],
        ["points_redeemed", "payable", 300, 270],
      ]);
      // Every transfer leg of the file (completed, held, released) was settled by this close.
      expect(
        await gw.rows(
          `select count(*) as n from ledger_transactions
           where type in ('transfer_out', 'transfer_in', 'hold', 'release') and settlement_period_id is null`,
        ),
      ).toEqual([{ n: 0 }]);
      // Across all statements the money nets to zero.
      const statements = await Promise.all(closed.statements.map((s) => statementOf(s.partner_id)));
      expect(statements.reduce((sum, s) => sum + s.totals.net_amount_minor, 0)).toBe(0);
    });
  });
}
