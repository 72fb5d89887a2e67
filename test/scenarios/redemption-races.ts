import { afterAll, describe, expect, it } from "vitest";
import { connect } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import { redemptionWorld } from "./redemption-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

const MINUTE = 60_000;

/**
 * Redemptions raced by concurrent clients (stock, codes, cancel against fulfil), and the statements of a period of
 * redemptions: each a burn by the partner that fulfils it, netted with its cancellations and returns.
 */
export function redemptionRaceScenarios(target: Target) {
  const gw = connect(target);
  /** Where the next settlement period starts: before anything these scenarios move, then the last close's end. */
  let periodStart: string | undefined;

  afterAll(async () => {
    await expectLedgerInvariants(gw.rows);
  });

  describe("concurrent orders", () => {
    it("sells exactly the 10 units in stock to 100 parallel orders; the rest are out_of_stock", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 10, points_price: 100 });
      const { externalId } = await world.member(100 * 100);
      const answers = await Promise.all(Array.from({ length: 100 }, () => world.redeem(externalId, product.id)));
      expect(tally(answers)).toEqual({ "201": 10, "409 out_of_stock": 90 });
      expect(await world.stockOf(product.id)).toBe(0);
      expect(await world.balanceOf(externalId)).toBe(100 * 100 - 10 * 100);
      expect(
        await gw.rows("select count(*) as n, sum(points) as points from redemptions where reward_id = ?", product.id),
      ).toEqual([{ n: 10, points: 1_000 }]);
    });

    it("hands out each of 30 codes once to 100 parallel orders", async () => {
      const world = await redemptionWorld(gw);
      const codes = Array.from({ length: 30 }, (_, i) => `RACE-${String(i).padStart(2, "0")}`);
      const voucher = await world.codeReward(codes, { points_price: 10 });
      const members = await Promise.all(Array.from({ length: 4 }, () => world.member(1_000)));
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => world.redeem(members[i % 4]?.externalId ?? "", voucher.id)),
      );
      expect(tally(answers)).toEqual({ "201": 30, "409 out_of_stock": 70 });
      const handedOut = answers
        .filter((a) => a.status === 201)
        .flatMap((a) => expectBody(a, op.createRedemption, 201).codes ?? []);
      expect(handedOut.sort()).toEqual(codes);
      expect(
        await gw.rows(
          `select count(*) as n, count(distinct redemption_id) as orders from reward_codes
           where reward_id = ? and status = 'assigned'`,
          voucher.id,
        ),
      ).toEqual([{ n: 30, orders: 30 }]);
      let spent = 0;
      for (const member of members) spent += 1_000 - (await world.balanceOf(member.externalId));
      expect(spent).toBe(300);
    });

    it("keeps a member within the reward's per-member limit under 20 parallel orders", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ per_member_limit: 3, points_price: 10 });
      const { externalId } = await world.member(1_000);
      const answers = await Promise.all(Array.from({ length: 20 }, () => world.redeem(externalId, product.id)));
      expect(tally(answers)).toEqual({ "201": 3, "409 limit_exceeded": 17 });
      expect(await world.balanceOf(externalId)).toBe(970);
    });

    it("lets exactly one of a cancel and a fulfil racing win, and gives the points back at most once", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 20, points_price: 100 });
      const { externalId } = await world.member(2_000);
      const orders = await Promise.all(Array.from({ length: 10 }, () => world.redeemed(externalId, product.id)));
      const raced = await Promise.all(
        orders.map((order) =>
          Promise.all([
            world.step("cancel", order.id, { reason: "member asked" }),
            world.step("fulfil", order.id, { tracking_reference: "TRK" }, world.owner),
            world.step("cancel", order.id, { reason: "member asked again" }, world.grocer),
          ]),
        ),
      );
      let cancelled = 0;
      for (const answers of raced) {
        expect(tally(answers)).toEqual({ "200": 1, "409 invalid_state": 2 });
        const winner = answers.find((a) => a.status === 200);
        if (winner && expectBody(winner, op.cancelRedemption, 200).status === "cancelled") cancelled++;
      }
      expect(await world.balanceOf(externalId)).toBe(2_000 - 1_000 + cancelled * 100);
      expect(await world.stockOf(product.id)).toBe(10 + cancelled);
      expect(
        await gw.rows(
          `select count(*) as n from ledger_transactions t join redemptions d on d.transaction_id = t.original_transaction_id
           where d.reward_id = ? and t.type = 'reversal'`,
          product.id,
        ),
      ).toEqual([{ n: cancelled }]);
    });

    it("refunds a returned product once however many returns race", async () => {
      const world = await redemptionWorld(gw);
      const product = await world.reward({ stock: 1 });
      const { externalId } = await world.member(1_500);
      const order = await world.redeemed(externalId, product.id);
      expectBody(await world.step("fulfil", order.id), op.fulfilRedemption, 200);
      const answers = await Promise.all(Array.from({ length: 8 }, () => world.step("return", order.id)));
      expect(tally(answers)).toEqual({ "200": 1, "409 invalid_state": 7 });
      expect(await world.balanceOf(externalId)).toBe(1_500);
      expect(await world.stockOf(product.id)).toBe(1);
    });
  });

  describe("statements", () => {
    it("settles a period's redemptions as the fulfilling partner's burns, net of cancellations and returns (known answer)", async () => {
      periodStart ??= gw.clock.now().toISOString();
      const world = await redemptionWorld(gw, { review_threshold_points: 5_000 });
      const product = await world.reward({ stock: 10, points_price: 1_000 });
      const voucher = await world.codeReward(["STM-1", "STM-2"], { points_price: 300 });
      const { externalId } = await world.member(50_000);
      // The shop's: 2,000 + 1,000 (returned) + 6,000 (held, approved) + 1,000 (cancelled) + 7,000 (held, rejected).
      const kept = await world.redeemed(externalId, product.id, 2);
      const returned = await world.redeemed(externalId, product.id);
      const cancelled = await world.redeemed(externalId, product.id);
      const approved = expectBody(await world.redeem(externalId, product.id, 6), op.createRedemption, 202);
      await world.decide(approved.review_id, "approve");
      // All ten units are taken (the approved order had reserved its six while held).
      expect(await world.stockOf(product.id)).toBe(0);
      expectProblem(await world.redeem(externalId, product.id), 409, "out_of_stock");
      expectBody(await world.step("fulfil", returned.id), op.fulfilRedemption, 200);
      expectBody(await world.step("return", returned.id), op.returnRedemption, 200);
      expectBody(await world.step("cancel", cancelled.id, { reason: "x" }), op.cancelRedemption, 200);
      const rejectedProduct = await world.reward({ points_price: 7_000 });
      const rejected = expectBody(await world.redeem(externalId, rejectedProduct.id), op.createRedemption, 202);
      await world.decide(rejected.review_id, "reject");
      // The owner's: a voucher it fulfils itself, placed by the grocer.
      await world.redeemed(externalId, voucher.id, 2);
      expect(kept.status).toBe("pending");
      expect(await world.balanceOf(externalId)).toBe(50_000 - 2_000 - 6_000 - 600);
      gw.clock.advance(MINUTE);

      const closed = expectBody(
        await gw.call("POST", "/v1/settlement-periods", {
          as: gw.operator,
          body: { start: periodStart, end: gw.clock.now().toISOString() },
        }),
        op.closeSettlementPeriod,
        201,
      );
      periodStart = closed.end;
      const statementOf = async (partnerId: string) => {
        const summary = closed.statements.find((s) => s.partner_id === partnerId);
        return expectBody(
          await gw.call("GET", `/v1/settlements/${summary?.id}`, { as: gw.operator }),
          op.getSettlement,
          200,
        );
      };
      const program = { id: world.programId, name: "Harbor Rewards" };
      const shop = await statementOf(world.shop.id);
      expect(shop.lines).toEqual([
        {
          kind: "points_redeemed",
          direction: "receivable",
          counterparty: { id: world.owner.id, name: world.owner.name },
          program,
          points: 8_000, // 2,000 + 6,000 kept; the returned and the cancelled net to nothing, the rejected never burned
          price_micros: 9_000,
          amount_minor: 7_200,
        },
      ]);
      const owner = await statementOf(world.owner.id);
      expect(owner.lines.filter((l) => l.kind === "points_redeemed")).toEqual([
        {
          kind: "points_redeemed",
          direction: "payable",
          counterparty: { id: world.shop.id, name: "Shop" },
          program,
          points: 8_000,
          price_micros: 9_000,
          amount_minor: 7_200,
        },
        {
          kind: "points_redeemed",
          direction: "memo",
          counterparty: { id: world.owner.id, name: world.owner.name },
          program,
          points: 600,
          price_micros: 10_000,
          amount_minor: 600,
        },
      ]);
      // The grocer placed orders but fulfilled none: nothing of them is its to settle.
      expect((await statementOf(world.grocer.id)).lines).toEqual([]);
      // The journal of the period agrees: the shop's burns net of their reversals.
      const journal = await gw.rows<{ points: number }>(
        `select sum(case when t.type = 'reversal' then -t.points else t.points end) as points
         from ledger_transactions t left join ledger_transactions o on o.id = t.original_transaction_id
         where t.settlement_period_id = ? and t.program_id = ? and t.partner_id = ?
           and (t.type = 'burn' or (t.type = 'reversal' and o.type = 'burn'))`,
        closed.id,
        world.programId,
        world.shop.id,
      );
      expect(journal).toEqual([{ points: 8_000 }]);
    });
  });
}
