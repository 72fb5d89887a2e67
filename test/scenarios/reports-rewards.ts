import { describe, expect, it } from "vitest";
import { rewardsTables } from "../../gateway/src/domain/reports/rewards";
import { connect } from "./gateway";
import { expectBody } from "./harness";
import { redemptionWorld } from "./redemption-fixtures";
import { expectCsvOf, expectManagedReport, localDay, plusDays, reportCalls } from "./report-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

const zone = "America/Sao_Paulo";

/**
 * The rewards report (issue 21): orders per reward counted when their points were burned (an order held for review
 * when it was approved), cancellations and returns netted when they happened, and fulfilment times, over local days
 * of a São Paulo program, against hand counts; the CSV equal to the JSON; who may read it.
 */
export function rewardsReportScenarios(target: Target) {
  const gw = connect(target);

  describe("rewards report", () => {
    it("nets cancellations and returns where they happen, counts a held order when approved, and times fulfilment", async () => {
      const world = await redemptionWorld(gw, { review_threshold_points: 5_000 });
      expect(
        (await gw.call("PATCH", `/v1/programs/${world.programId}`, { as: world.owner, body: { timezone: zone } }))
          .status,
      ).toBe(200);
      const product = await world.reward({ points_price: 250, stock: 50 });
      const voucher = await world.codeReward(["V-1", "V-2"], { points_price: 100 });
      const service = await world.reward({ type: "service", points_price: 40, fulfilment: "manual" });
      const ann = await world.member(20_000);
      const bob = await world.member(20_000);
      const at = (day: string, time: string) => gw.clock.set(new Date(`${day}T${time}:00-03:00`));
      const fulfil = async (id: string) =>
        expectBody(await world.step("fulfil", id, {}, world.owner), op.fulfilRedemption, 200);
      // The day before the range: an order to be cancelled in it, and one held for review (7,500 > 5,000 points).
      const before = plusDays(localDay(gw.clock.now(), zone), 1);
      const first = plusDays(before, 1);
      const second = plusDays(before, 2);
      at(before, "20:00");
      const cancelled = await world.redeemed(ann.externalId, product.id, 1);
      at(before, "22:00");
      const held = expectBody(await world.redeem(bob.externalId, product.id, 30), op.createRedemption, 202);
      // The first day: voucher codes at once, a product fulfilled 6 hours on, the earlier order cancelled, the held
      // order approved, a service fulfilled 9 hours on.
      at(first, "09:00");
      await world.redeemed(ann.externalId, voucher.id, 2);
      const returned = await world.redeemed(ann.externalId, product.id, 2);
      at(first, "10:00");
      expectBody(
        await world.step("cancel", cancelled.id, { reason: "changed mind" }, world.owner),
        op.cancelRedemption,
        200,
      );
      at(first, "11:00");
      await world.decide(held.review_id, "approve");
      at(first, "12:00");
      const massage = await world.redeemed(bob.externalId, service.id, 1);
      at(first, "15:00");
      await fulfil(returned.id);
      at(first, "21:00");
      await fulfil(massage.id);
      // The second day: the product returned, two more orders, one fulfilled in 10 hours, one only after the range.
      at(second, "09:00");
      const late = await world.redeemed(bob.externalId, product.id, 1);
      at(second, "10:00");
      const quick = await world.redeemed(bob.externalId, product.id, 1);
      at(second, "11:00");
      expectBody(await world.step("return", returned.id, {}, world.owner), op.returnRedemption, 200);
      at(second, "20:00");
      await fulfil(quick.id);
      at(plusDays(second, 1), "15:00");
      await fulfil(late.id);

      const report = reportCalls(gw, `/v1/programs/${world.programId}/reports/rewards`);
      const read = async (from: string, to: string) =>
        expectBody(await report.json(world.owner, { from, to }), op.getRewardsReport, 200);
      const both = await read(first, second);
      const reward = (r: typeof product) => ({
        reward_id: r.id,
        sku: r.sku,
        name: r.name,
        type: r.type,
        fulfilment: r.fulfilment,
      });
      expect(both).toEqual({
        program_id: world.programId,
        timezone: zone,
        from: first,
        to: second,
        // Placed: the held 30 (approved), 2 returned later, 1 and 1; back: the earlier 1 cancelled, the 2 returned.
        totals: { orders: 6, cancelled: 1, returned: 1, net_orders: 4, quantity: 31 + 2 + 1, points: 7_750 + 200 + 40 },
        rewards: [
          {
            ...reward(product),
            orders: 4,
            cancelled: 1,
            returned: 1,
            net_orders: 2,
            quantity: 34 - 3,
            points: 250 * 34 - 250 * 3,
            fulfilled: 2,
            fulfilment_median_hours: 8,
            fulfilment_p90_hours: 9.6,
          },
          {
            ...reward(voucher),
            orders: 1,
            cancelled: 0,
            returned: 0,
            net_orders: 1,
            quantity: 2,
            points: 200,
            fulfilled: 1,
            fulfilment_median_hours: 0,
            fulfilment_p90_hours: 0,
          },
          {
            ...reward(service),
            orders: 1,
            cancelled: 0,
            returned: 0,
            net_orders: 1,
            quantity: 1,
            points: 40,
            fulfilled: 1,
            fulfilment_median_hours: 9,
            fulfilment_p90_hours: 9,
          },
        ],
      });
      // The KPI report counts the same points redeemed over the same days.
      for (const [from, to] of [
        [first, second],
        [first, first],
        [before, before],
      ] as const) {
        const kpis = await gw.call("GET", `/v1/programs/${world.programId}/reports/kpis?from=${from}&to=${to}`, {
          as: world.owner,
        });
        expect(expectBody(kpis, op.getKpiReport, 200).totals.points_redeemed).toBe(
          (await read(from, to)).totals.points,
        );
      }
      // The first day alone: the cancel nets the order placed before it; the return is not in it yet.
      expect((await read(first, first)).rewards[0]).toMatchObject({
        reward_id: product.id,
        orders: 2,
        cancelled: 1,
        returned: 0,
        net_orders: 1,
        quantity: 32 - 1,
        points: 250 * 31,
        fulfilled: 1,
        fulfilment_median_hours: 6,
      });
      // The day before: only the cancelled order's burn (the held one burned nothing yet).
      expect((await read(before, before)).rewards).toEqual([
        expect.objectContaining({ reward_id: product.id, orders: 1, quantity: 1, points: 250, fulfilled: 0 }),
      ]);
      // The net points of every day add up to the points the members' orders burned in the end.
      const [spent] = await gw.rows<{ points: number }>(
        `select sum(points) as points from redemptions where program_id = ? and status in ('pending', 'fulfilled')`,
        world.programId,
      );
      expect((await read(before, plusDays(second, 1))).totals.points).toBe(spent?.points);
      expectCsvOf(await report.csv(world.owner, { from: first, to: second }), rewardsTables.rewards, both.rewards);
      await expectManagedReport(gw, report, world);
    });
  });
}
