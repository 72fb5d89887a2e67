import { describe, expect, it } from "vitest";
import { addAgreement, onboardPartner, unique } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { controlBucket, promotionProgram } from "./promotion-trigger-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** The contract's control-group formula (computed in the fixtures, not by the gateway's code). */
const heldOut = (promotionId: string, memberId: string, controlGroupBps: number) =>
  controlBucket(promotionId, memberId) < controlGroupBps;

/** points × micros per point in cents, rounded half to even as a statement line (BigInt, no float). */
function centsHalfEven(points: number, micros: number): number {
  const numerator = BigInt(points) * BigInt(micros) * 100n;
  const quotient = numerator / 1_000_000n;
  const twice = (numerator % 1_000_000n) * 2n;
  return Number(twice > 1_000_000n || (twice === 1_000_000n && quotient % 2n === 1n) ? quotient + 1n : quotient);
}

/** What the test made of one member: its group and the earns that count (time-stamped, with their spend). */
type Tracked = { externalId: string; id: string; group: "treatment" | "control" | null; earns: number[] };

/** The expected figures of one group, from the test's own record of its earns. */
function groupFigures(tracked: Tracked[], group: "treatment" | "control") {
  const spends = tracked.filter((member) => member.group === group).map((member) => member.earns);
  const perMember = spends.map((earns) => earns.reduce((sum, spend) => sum + spend, 0));
  const members = perMember.length;
  const mean = members === 0 ? null : perMember.reduce((sum, spend) => sum + spend, 0) / members;
  const variance =
    members < 2 || mean === null ? 0 : perMember.reduce((sum, spend) => sum + (spend - mean) ** 2, 0) / (members - 1);
  return {
    members,
    earns: spends.reduce((sum, earns) => sum + earns.length, 0),
    spend: perMember.reduce((sum, spend) => sum + spend, 0),
    mean,
    variance,
  };
}

/** A program priced at 12,500 micros a point (1.25 cents: half cents happen), with helpers for promotions. */
async function performanceProgram(gw: Gateway) {
  const program = await promotionProgram(gw, { issue_price_micros: 12_500 });
  const { programId, owner } = program;
  /** Earns for a purchase in USD, or 7 points without one when `amountMinor` is null; answers the earn. */
  const purchase = (externalId: string, amountMinor: number | null) =>
    amountMinor === null ? program.earn(externalId, 7) : program.purchase(externalId, amountMinor);
  const promotion = (body: Record<string, unknown>) =>
    program.promote({ trigger: "earn", reward: { bonus_points: 3 }, ...body });
  const performance = async (promotionId: string) =>
    expectBody(
      await gw.call("GET", `/v1/promotions/${promotionId}/performance`, { as: owner }),
      op.getPromotionPerformance,
      200,
    );
  const campaign = async (body: Record<string, unknown>) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${programId}/campaigns`, {
        as: owner,
        body: { name: unique("Campaign"), ...body },
      }),
      op.createCampaign,
      201,
    );
  const campaignPerformance = async (campaignId: string) =>
    expectBody(
      await gw.call("GET", `/v1/campaigns/${campaignId}/performance`, { as: owner }),
      op.getCampaignPerformance,
      200,
    );
  const enrolled = async (count: number): Promise<Tracked[]> =>
    Promise.all(
      Array.from({ length: count }, async () => {
        const { externalId, id } = await program.enrol();
        return { externalId, id, group: null, earns: [] };
      }),
    );
  return { ...program, purchase, promotion, performance, campaign, campaignPerformance, enrolled };
}

/** A spend that differs from member to member (700..1,300 cents), 20% more for the treatment group. */
const spendOf = (index: number, group: "treatment" | "control") => {
  const base = 700 + ((index * 7_919) % 601);
  return group === "treatment" ? Math.round(base * 1.2) : base;
};

/** Issue 18: a promotion's treatment against its control, and a campaign's response, as the test recomputes them. */
export function promotionPerformanceScenarios(target: Target) {
  const gw = connect(target);

  describe("promotion performance known answers", () => {
    it("measures treatment against control from each member's exposure to the end, with Welch's interval, cost and roi", async () => {
      const p = await performanceProgram(gw);
      const tracked = await p.enrolled(130);
      const [bystander, ...population] = tracked as [Tracked, ...Tracked[]];
      // Before the promotion: earns that count for nobody.
      for (const member of population.slice(0, 20)) await p.purchase(member.externalId, 5_000);
      gw.clock.advance(hourMs);
      const list = expectBody(
        await gw.call("POST", `/v1/programs/${p.programId}/segments`, {
          as: p.owner,
          body: { name: unique("Spring list"), type: "static" },
        }),
        op.createSegment,
        201,
      );
      // The list: the bystander (it never earns) and 40 of the population, 10 of whom never earn during it.
      const listed = [bystander, ...population.slice(0, 40)];
      expectBody(
        await gw.call("POST", `/v1/segments/${list.id}/members`, {
          as: p.owner,
          body: { external_ids: listed.map((member) => member.externalId) },
        }),
        op.addSegmentMembers,
        200,
      );
      const campaign = await p.campaign({
        name: unique("Spring campaign"),
        status: "active",
        actual_start: gw.clock.now().toISOString(),
        expected_response_pct: 40,
        segment_ids: [list.id],
      });
      const endsAt = new Date(gw.clock.now().getTime() + 10 * dayMs);
      const promotion = await p.promotion({
        campaign_id: campaign.id,
        ends_at: endsAt.toISOString(),
        control_group_bps: 5_000,
        limits: { budget_points: 1_000_000 },
      });
      // A draft of the same campaign: never exposed, it adds nothing.
      const draft = await p.promotion({ campaign_id: campaign.id, status: "draft" });

      // The empty promotion first: nobody exposed, nothing awarded.
      expect(await p.performance(promotion.id)).toEqual({
        promotion_id: promotion.id,
        treatment: { members: 0, earns: 0, spend_minor: 0, points_awarded: 0 },
        control: { members: 0, earns: 0, spend_minor: 0 },
        spend_per_member: { treatment: null, control: null },
        uplift_pct: null,
        uplift_ci95: null,
        incremental_spend_minor: null,
        budget: { points: 1_000_000, used: 0 },
        cost: { amount_minor: 0, currency: "USD" },
        roi: null,
      });

      // Everyone but 10 of the listed earns once; the treatment spends 20% more. The first 10 earn points only.
      const active = population.filter((_, index) => index < 30 || index >= 40);
      let awarded = 0;
      gw.clock.advance(hourMs);
      for (const [index, member] of active.entries()) {
        member.group = heldOut(promotion.id, member.id, 5_000) ? "control" : "treatment";
        const amount = index < 10 ? null : spendOf(index, member.group);
        const earned = await p.purchase(member.externalId, amount);
        member.earns.push(amount ?? 0);
        awarded += earned.bonuses.filter((bonus) => bonus.source_id === promotion.id).reduce((s, b) => s + b.points, 0);
      }
      // A day later every third member earns again; one of the treatment's earns is then reversed (gross: it stays).
      gw.clock.advance(dayMs);
      let reversible: string | undefined;
      for (const [index, member] of active.entries()) {
        if (index % 3 !== 0 || !member.group) continue;
        const amount = spendOf(index + 1, member.group);
        const earned = await p.purchase(member.externalId, amount);
        member.earns.push(amount);
        awarded += earned.bonuses.filter((bonus) => bonus.source_id === promotion.id).reduce((s, b) => s + b.points, 0);
        if (member.group === "treatment") reversible ??= earned.id;
      }
      expect((await p.reverse(reversible as string)).status).toBe(201);
      // After the end: earns that count for nobody, and pay nothing.
      gw.clock.set(endsAt);
      for (const member of active.slice(0, 15)) {
        const earned = await p.purchase(member.externalId, 10_000);
        expect(earned.bonuses.filter((bonus) => bonus.source_id === promotion.id)).toEqual([]);
      }

      // The groups the gateway recorded are the formula's.
      const recorded = await gw.rows<{ member_id: string; group: string }>(
        `select member_id, "group" from promotion_members where promotion_id = ?`,
        promotion.id,
      );
      expect(new Map(recorded.map((row) => [row.member_id, row.group]))).toEqual(
        new Map(active.map((member) => [member.id, member.group])),
      );
      const treatment = groupFigures(active, "treatment");
      const control = groupFigures(active, "control");
      expect(treatment.members).toBeGreaterThanOrEqual(30);
      expect(control.members).toBeGreaterThanOrEqual(30);
      // Three points for every treatment earn during the promotion, and none for the control's.
      expect(awarded).toBe(3 * treatment.earns);
      const [ledgerAwarded] = await gw.rows<{ points: number }>(
        `select sum(points) as points from ledger_transactions where bonus_source = 'promotion' and bonus_source_id = ?`,
        promotion.id,
      );
      expect(ledgerAwarded?.points).toBe(awarded);

      const t = treatment.mean as number;
      const c = control.mean as number;
      const se = Math.sqrt(treatment.variance / treatment.members + control.variance / control.members);
      const cost = centsHalfEven(awarded, 12_500);
      const incremental = Math.round((t - c) * treatment.members);
      const measured = await p.performance(promotion.id);
      expect(measured).toMatchObject({
        promotion_id: promotion.id,
        treatment: {
          members: treatment.members,
          earns: treatment.earns,
          spend_minor: treatment.spend,
          points_awarded: awarded,
        },
        control: { members: control.members, earns: control.earns, spend_minor: control.spend },
        incremental_spend_minor: incremental,
        budget: { points: 1_000_000, used: awarded },
        cost: { amount_minor: cost, currency: "USD" },
      });
      expect(measured.spend_per_member.treatment).toBeCloseTo(t, 9);
      expect(measured.spend_per_member.control).toBeCloseTo(c, 9);
      expect(measured.uplift_pct).toBeCloseTo(((t - c) / c) * 100, 9);
      const [low, high] = measured.uplift_ci95 as [number, number];
      expect(low).toBeCloseTo(((t - c - 1.96 * se) / c) * 100, 6);
      expect(high).toBeCloseTo(((t - c + 1.96 * se) / c) * 100, 6);
      expect(low).toBeLessThan(measured.uplift_pct as number);
      expect(measured.roi).toBeCloseTo((incremental - cost) / cost, 9);

      // The campaign: its list's members now, those who earned since its start, and its promotions' figures.
      const responders = listed.filter((member) => member.group !== null).length;
      expect(responders).toBe(30);
      const campaignMeasured = await p.campaignPerformance(campaign.id);
      expect(campaignMeasured).toMatchObject({
        campaign_id: campaign.id,
        promotions: [
          { promotion_id: promotion.id, points_awarded: awarded },
          { promotion_id: draft.id, points_awarded: 0 },
        ],
        targeted_members: listed.length,
        responders,
        expected_response_pct: 40,
        cost: { amount_minor: cost, currency: "USD" },
        incremental_spend_minor: incremental,
      });
      expect(campaignMeasured.response_pct).toBeCloseTo((responders / listed.length) * 100, 9);
      expect(campaignMeasured.roi).toBeCloseTo((incremental - cost) / cost, 9);
    }, 120_000);

    it("gives the uplift but no interval under 30 members in a group, and no uplift of a control that spent nothing", async () => {
      const p = await performanceProgram(gw);
      const members = await p.enrolled(12);
      const promotion = await p.promotion({ control_group_bps: 5_000 });
      gw.clock.advance(hourMs);
      for (const [index, member] of members.entries()) {
        member.group = heldOut(promotion.id, member.id, 5_000) ? "control" : "treatment";
        const amount = spendOf(index, member.group);
        await p.purchase(member.externalId, amount);
        member.earns.push(amount);
      }
      const treatment = groupFigures(members, "treatment");
      const control = groupFigures(members, "control");
      const measured = await p.performance(promotion.id);
      expect(measured.uplift_ci95).toBeNull();
      if (treatment.members > 0 && control.members > 0)
        expect(measured.uplift_pct).toBeCloseTo(
          (((treatment.mean as number) - (control.mean as number)) / (control.mean as number)) * 100,
          9,
        );

      // Points-only earns: nobody spent anything, so there is no percentage and no incremental spend to speak of.
      gw.clock.advance(hourMs);
      const pointsOnly = await p.promotion({ control_group_bps: 5_000 });
      for (const member of members) await p.purchase(member.externalId, null);
      const flat = await p.performance(pointsOnly.id);
      expect(flat.uplift_pct).toBeNull();
      expect(flat.uplift_ci95).toBeNull();
      expect(flat.treatment.spend_minor + flat.control.spend_minor).toBe(0);
    });

    it("counts no responders for a campaign without a start, and none targeted without segments", async () => {
      const p = await performanceProgram(gw);
      const campaign = await p.campaign({ name: unique("Someday"), status: "proposed" });
      expect(await p.campaignPerformance(campaign.id)).toEqual({
        campaign_id: campaign.id,
        promotions: [],
        targeted_members: 0,
        responders: 0,
        response_pct: null,
        expected_response_pct: null,
        cost: { amount_minor: 0, currency: "USD" },
        incremental_spend_minor: null,
        roi: null,
      });
    });
  });

  describe("who may read performance", () => {
    it("lets the owner and the operator read; 403 to a partner with an agreement, 404 to others and unknown ids", async () => {
      const p = await performanceProgram(gw);
      const promotion = await p.promotion({});
      const campaign = await p.campaign({ name: unique("Campaign"), status: "planned" });
      const earner = await onboardPartner(gw);
      await addAgreement(gw, p.programId, earner.id);
      const stranger = await onboardPartner(gw);
      const paths = [`/v1/promotions/${promotion.id}/performance`, `/v1/campaigns/${campaign.id}/performance`];
      for (const path of paths) {
        expect((await gw.call("GET", path, { as: gw.operator })).status).toBe(200);
        expectProblem(await gw.call("GET", path, { as: earner }), 403, "forbidden", path);
        expectProblem(await gw.call("GET", path, { as: stranger }), 404, "not_found", path);
      }
      expectProblem(await gw.call("GET", "/v1/promotions/pro_nope/performance", { as: p.owner }), 404, "not_found");
      expectProblem(await gw.call("GET", "/v1/campaigns/cmp_nope/performance", { as: p.owner }), 404, "not_found");
    });
  });
}
