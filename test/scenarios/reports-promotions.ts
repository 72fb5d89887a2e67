import { describe, expect, it } from "vitest";
import { promotionsTables } from "../../gateway/src/domain/reports/promotions";
import { connect } from "./gateway";
import { expectBody } from "./harness";
import { controlBucket, promotionProgram } from "./promotion-trigger-fixtures";
import { expectCsvOf, expectManagedReport, localDay, plusDays, reportCalls } from "./report-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

/** points × micros per point in cents, rounded half to even as a statement line (BigInt, no float). */
function centsHalfEven(points: number, micros: number): number {
  const numerator = BigInt(points) * BigInt(micros) * 100n;
  const quotient = numerator / 1_000_000n;
  const twice = (numerator % 1_000_000n) * 2n;
  return Number(twice > 1_000_000n || (twice === 1_000_000n && quotient % 2n === 1n) ? quotient + 1n : quotient);
}

/**
 * The promotions report (issue 21): every promotion of a program with its performance and ROI beside its awards in
 * the range, each row's performance equal to what `GET /v1/promotions/{id}/performance` answers, the awards and
 * cost counted by hand; the CSV equal to the JSON; who may read it.
 */
export function promotionsReportScenarios(target: Target) {
  const gw = connect(target);

  describe("promotions report", () => {
    it("sets each promotion's performance beside its awards ever and in the range, as the test counts them", async () => {
      const p = await promotionProgram(gw, { issue_price_micros: 12_500 });
      const held = await p.promote({
        trigger: "earn",
        reward: { bonus_points: 3 },
        control_group_bps: 5_000,
        limits: { budget_points: 10_000 },
      });
      const boost = await p.promote({ trigger: "earn", reward: { multiplier_bps: 15_000 } });
      const draft = await p.promote({ trigger: "earn", status: "draft", reward: { bonus_points: 1 } });
      const members = await Promise.all(Array.from({ length: 12 }, () => p.enrol()));
      const treated = members.filter((m) => controlBucket(held.id, m.id) >= 5_000);
      // Day D: everyone buys for 10.00 (10 points): `held` pays its treatment 3, `boost` everyone 5.
      const day = localDay(gw.clock.now(), "UTC");
      for (const member of members) await p.purchase(member.externalId, 1_000);
      // The next day: four buy for 20.00 (20 points): 3 more from `held` to the treated, 10 from `boost`.
      const next = plusDays(day, 1);
      gw.clock.set(new Date(`${next}T12:00:00Z`));
      const again = members.slice(0, 4);
      for (const member of again) await p.purchase(member.externalId, 2_000);
      const treatedAgain = again.filter((m) => treated.includes(m)).length;

      const report = reportCalls(gw, `/v1/programs/${p.programId}/reports/promotions`);
      const answer = expectBody(await report.json(p.owner, { from: next, to: next }), op.getPromotionsReport, 200);
      const heldUsed = 3 * (treated.length + treatedAgain);
      const boostUsed = 5 * 12 + 10 * 4;
      expect(answer.totals).toEqual({
        promotions: 3,
        budget_used: heldUsed + boostUsed,
        points_awarded_in_range: 3 * treatedAgain + 40,
        awards_in_range: treatedAgain + 4,
        cost_minor: centsHalfEven(heldUsed + boostUsed, 12_500),
        currency: "USD",
      });
      expect(answer.promotions.map((row) => row.promotion_id).sort()).toEqual([held.id, boost.id, draft.id].sort());
      const rowOf = (id: string) => answer.promotions.find((row) => row.promotion_id === id);
      expect(rowOf(held.id)).toMatchObject({
        name: held.name,
        status: "active",
        trigger: "earn",
        control_group_bps: 5_000,
        budget_points: 10_000,
        budget_used: heldUsed,
        awards: treated.length + treatedAgain,
        awards_in_range: treatedAgain,
        points_awarded_in_range: 3 * treatedAgain,
        cost_minor: centsHalfEven(heldUsed, 12_500),
        treatment_members: treated.length,
        control_members: 12 - treated.length,
      });
      expect(rowOf(boost.id)).toMatchObject({
        budget_points: null,
        budget_used: boostUsed,
        awards: 16,
        awards_in_range: 4,
        points_awarded_in_range: 40,
        cost_minor: centsHalfEven(boostUsed, 12_500),
        treatment_members: 12,
        treatment_earns: 16,
        treatment_spend_minor: 12 * 1_000 + 4 * 2_000,
        control_members: 0,
        uplift_pct: null,
        roi: null,
      });
      expect(rowOf(draft.id)).toMatchObject({ status: "draft", budget_used: 0, awards: 0, treatment_members: 0 });

      // Each row's performance is the performance endpoint's, figure for figure.
      for (const row of answer.promotions) {
        const performance = expectBody(
          await gw.call("GET", `/v1/promotions/${row.promotion_id}/performance`, { as: p.owner }),
          op.getPromotionPerformance,
          200,
        );
        expect(row).toMatchObject({
          budget_points: performance.budget.points,
          budget_used: performance.budget.used,
          cost_minor: performance.cost.amount_minor,
          currency: performance.cost.currency,
          treatment_members: performance.treatment.members,
          treatment_earns: performance.treatment.earns,
          treatment_spend_minor: performance.treatment.spend_minor,
          control_members: performance.control.members,
          control_earns: performance.control.earns,
          control_spend_minor: performance.control.spend_minor,
          spend_per_member_treatment: performance.spend_per_member.treatment,
          spend_per_member_control: performance.spend_per_member.control,
          uplift_pct: performance.uplift_pct,
          uplift_ci95_low: performance.uplift_ci95?.[0] ?? null,
          uplift_ci95_high: performance.uplift_ci95?.[1] ?? null,
          incremental_spend_minor: performance.incremental_spend_minor,
          roi: performance.roi,
        });
      }

      // The day before holds the first day's awards only.
      const before = expectBody(await report.json(p.owner, { from: day, to: day }), op.getPromotionsReport, 200);
      expect(before.totals).toMatchObject({ awards_in_range: treated.length + 12, budget_used: heldUsed + boostUsed });
      expectCsvOf(await report.csv(p.owner, { from: next, to: next }), promotionsTables.promotions, answer.promotions);
      await expectManagedReport(gw, report, p);
    });
  });
}
