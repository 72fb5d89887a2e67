import { describe, expect, it } from "vitest";
import { addAgreement, onboardPartner, unique } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import {
  controlBucket,
  dayMs,
  promotionProgram,
  tieredPromotionProgram,
  withoutIds,
} from "./promotion-trigger-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

/** Issue 18: what pays outside an earn (activities, enrolments), simulations, and a member's challenges. */
export function promotionTriggerScenarios(target: Target) {
  const gw = connect(target);

  describe("activities", () => {
    it("pays the activity promotions listing its type in the write that records it", async () => {
      const program = await promotionProgram(gw);
      const reviews = await program.promote({
        trigger: "activity",
        activity_types: ["review_written", "survey_completed"],
        reward: { bonus_points: 250 },
      });
      const shares = await program.promote({
        trigger: "activity",
        activity_types: ["social_share"],
        reward: { bonus_points: 40 },
      });
      const { externalId } = await program.enrol();
      const review = await program.activity(externalId, "review_written", "review-1");
      expect(review).toEqual({
        id: expect.stringMatching(/^act_/),
        program_id: program.programId,
        external_id: externalId,
        type: "review_written",
        reference: "review-1",
        created_at: gw.clock.now().toISOString(),
        bonus_points: 250,
        bonuses: [{ transaction_id: expect.any(String), source: "promotion", source_id: reviews.id, points: 250 }],
        balance_after: 250,
      });
      const share = await program.activity(externalId, "social_share");
      expect(share).toMatchObject({ bonus_points: 40, balance_after: 290 });
      expect(withoutIds(share.bonuses)).toEqual([{ source: "promotion", source_id: shares.id, points: 40 }]);
      expect((await program.balance(externalId)).available).toBe(290);

      // The bonus is its own transaction, caused by no earn, named by the activity's id.
      const bonus = expectBody(
        await gw.call("GET", `/v1/transactions/${review.bonuses[0]?.transaction_id}`, { as: program.owner }),
        op.getTransaction,
        200,
      );
      expect(bonus).toMatchObject({
        type: "bonus",
        points: 250,
        reference: review.id,
        parent_transaction_id: null,
        bonus: { source: "promotion", source_id: reviews.id },
        balance_after: 250,
      });
      expect(await program.budgetUsed(reviews.id)).toBe(250);
      expect(await program.exposures(reviews.id)).toEqual([
        { member_id: expect.any(String), group: "treatment", points_awarded: 250, awards: 1 },
      ]);
      const listed = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/members/${externalId}/activities`, {
          as: program.owner,
        }),
        op.listMemberActivities,
        200,
      );
      expect(listed.data.map((activity) => [activity.id, activity.type])).toEqual([
        [share.id, "social_share"],
        [review.id, "review_written"],
      ]);
      await expectLedgerInvariants(target.rows);
    });

    it("sends activity.recorded with the answer to the reporting partner and the program's owner", async () => {
      const program = await promotionProgram(gw);
      await program.promote({ trigger: "activity", activity_types: ["survey_completed"], reward: { bonus_points: 5 } });
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      const { externalId } = await program.enrol();
      const answer = expectBody(
        await program.act(externalId, "survey_completed", "survey-9", { as: grocer }),
        op.recordActivity,
        201,
      );
      const events = await gw.rows<{ partner_id: string; payload: string }>(
        "select partner_id, payload from events where type = 'activity.recorded' and json_extract(payload, '$.data.id') = ?",
        answer.id,
      );
      expect(events.map((event) => event.partner_id).sort()).toEqual([grocer.id, program.owner.id].sort());
      for (const event of events) expect(JSON.parse(event.payload).data).toEqual(answer);
    });

    it("answers a retry from the first time, and refuses the same type and reference again, paying nothing", async () => {
      const program = await promotionProgram(gw);
      await program.promote({ trigger: "activity", activity_types: ["review_written"], reward: { bonus_points: 250 } });
      const { externalId } = await program.enrol();
      const first = await program.act(externalId, "review_written", "review-7", { key: "activity-key-7" });
      const retried = await program.act(externalId, "review_written", "review-7", { key: "activity-key-7" });
      expect(retried.status).toBe(201);
      expect(retried.headers.get("Idempotent-Replayed")).toBe("true");
      expect(retried.text).toBe(first.text);
      expectProblem(await program.act(externalId, "review_written", "review-7"), 409, "conflict", "the same reference");
      // The reference belongs to the member and type: another type with it is another action.
      expect((await program.activity(externalId, "social_share", "review-7")).bonus_points).toBe(0);
      expect((await program.balance(externalId)).available).toBe(250);
      await expectLedgerInvariants(target.rows);
    });

    it("pays once when the same activity is reported many times at once", async () => {
      const program = await promotionProgram(gw);
      await program.promote({ trigger: "activity", activity_types: ["review_written"], reward: { bonus_points: 100 } });
      const { externalId } = await program.enrol();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => program.act(externalId, "review_written", "review-once")),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      expect((await program.balance(externalId)).available).toBe(100);
    });

    it("cuts awards to the budget and stops at the member limit", async () => {
      const program = await promotionProgram(gw);
      const budgeted = await program.promote({
        trigger: "activity",
        activity_types: ["review_written"],
        reward: { bonus_points: 250 },
        limits: { budget_points: 300 },
      });
      const once = await program.promote({
        trigger: "activity",
        activity_types: ["review_written"],
        reward: { bonus_points: 10 },
        limits: { max_awards_per_member: 1 },
      });
      const a = await program.enrol();
      const b = await program.enrol();
      const lines = async (externalId: string) =>
        withoutIds((await program.activity(externalId, "review_written")).bonuses);
      expect(await lines(a.externalId)).toEqual([
        { source: "promotion", source_id: budgeted.id, points: 250 },
        { source: "promotion", source_id: once.id, points: 10 },
      ]);
      expect(await lines(a.externalId)).toEqual([{ source: "promotion", source_id: budgeted.id, points: 50 }]);
      expect(await lines(b.externalId)).toEqual([{ source: "promotion", source_id: once.id, points: 10 }]);
      expect(await program.budgetUsed(budgeted.id)).toBe(300);
      await expectLedgerInvariants(target.rows);
    });

    it("records an activity no promotion rewards, and refuses what it must", async () => {
      const program = await promotionProgram(gw);
      const { externalId } = await program.enrol();
      expect(await program.activity(externalId, "app_opened")).toMatchObject({
        bonus_points: 0,
        bonuses: [],
        balance_after: 0,
      });
      expectProblem(await program.act("nobody", "app_opened", "r"), 404, "not_found", "an unknown member");
      const stranger = await onboardPartner(gw);
      expectProblem(
        await program.act(externalId, "app_opened", "r", { as: stranger }),
        404,
        "not_found",
        "no agreement",
      );
      const bad = await program.act(externalId, "App Opened", "r");
      expectProblem(bad, 400, "validation_failed", "a bad type");
      expect((bad.body as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual(["type"]);
      const unkeyed = await gw.call("POST", "/v1/activities", {
        as: program.owner,
        body: { program_id: program.programId, external_id: externalId, type: "app_opened", reference: "r" },
      });
      expectProblem(unkeyed, 400, "validation_failed", "no Idempotency-Key");
      expectBody(
        await gw.call("PATCH", `/v1/programs/${program.programId}`, { as: gw.operator, body: { status: "closed" } }),
        op.updateProgram,
        200,
      );
      expectProblem(await program.act(externalId, "app_opened", "r2"), 409, "invalid_state", "a closed program");
    });
  });

  describe("enrolment awards", () => {
    it("pays enrolment promotions in the enrolment's write, and the member answer shows the balance", async () => {
      const program = await promotionProgram(gw, { points_expire_after_days: 365 });
      const welcome = await program.promote({ trigger: "enrolment", reward: { bonus_points: 500 } });
      const { externalId, member } = await program.enrol();
      const expiresAt = new Date(gw.clock.now().getTime() + 365 * dayMs).toISOString();
      expect(member.balance).toEqual({
        available: 500,
        pending: 0,
        lifetime_earned: 0,
        expiring: [{ points: 500, expires_at: expiresAt }],
      });
      expect(await program.balance(externalId)).toEqual(member.balance);
      const history = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/members/${externalId}/transactions`, {
          as: program.owner,
        }),
        op.listMemberTransactions,
        200,
      ).data;
      expect(history).toMatchObject([
        {
          type: "bonus",
          points: 500,
          reference: "enrolment",
          parent_transaction_id: null,
          bonus: { source: "promotion", source_id: welcome.id },
        },
      ]);
      expect(await program.budgetUsed(welcome.id)).toBe(500);
      const [event] = await gw.rows<{ payload: string }>(
        "select payload from events where type = 'member.enrolled' and json_extract(payload, '$.data.id') = ?",
        member.id,
      );
      expect(JSON.parse(event?.payload ?? "{}").data.balance.available).toBe(500);
      await expectLedgerInvariants(target.rows);
    });

    it("checks the enrolment's audience on the entry tier and the enrolling partner", async () => {
      const program = await tieredPromotionProgram(gw);
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      const blue = await program.promote({
        trigger: "enrolment",
        audience: { tiers: ["blue"] },
        reward: { bonus_points: 100 },
      });
      const silver = await program.promote({
        trigger: "enrolment",
        audience: { tiers: ["silver"] },
        reward: { bonus_points: 1_000 },
      });
      const byGrocer = await program.promote({
        trigger: "enrolment",
        audience: { earning_partners: [grocer.id] },
        reward: { bonus_points: 20 },
      });
      const owners = await program.enrol();
      expect(owners.member.balance.available).toBe(100);
      const grocers = await program.enrol(unique("G"), grocer);
      expect(grocers.member.balance.available).toBe(120);
      expect((await program.exposures(silver.id)).length).toBe(0);
      expect((await program.exposures(blue.id)).length).toBe(2);
      expect((await program.exposures(byGrocer.id)).length).toBe(1);
      await expectLedgerInvariants(target.rows);
    });

    it("pays held-out members nothing on enrolment but records their exposure", async () => {
      const program = await promotionProgram(gw);
      const welcome = await program.promote({
        trigger: "enrolment",
        reward: { bonus_points: 500 },
        control_group_bps: 5_000,
      });
      // The hash decides each member's group: 40 members land in both (all in one: a chance of 2 in 10^12).
      const members = [];
      for (let i = 0; i < 40; i++) members.push(await program.enrol());
      const exposures = await program.exposures(welcome.id);
      expect(exposures.length).toBe(40);
      for (const { member } of members) {
        const exposure = exposures.find((row) => row.member_id === member.id);
        const held = controlBucket(welcome.id, member.id) < 5_000;
        expect(exposure?.group).toBe(held ? "control" : "treatment");
        expect(member.balance.available).toBe(held ? 0 : 500);
      }
      expect(new Set(exposures.map((row) => row.group))).toEqual(new Set(["control", "treatment"]));
    });
  });

  describe("simulate", () => {
    it("answers the bonuses the earn then pays, tier bonuses first", async () => {
      const program = await tieredPromotionProgram(gw);
      const { externalId } = await program.enrol();
      await program.earn(externalId, 1_000); // Silver: 25% accrual from now
      const double = await program.promote({ trigger: "earn", reward: { multiplier_bps: 20_000 } });
      const perAmount = await program.promote({
        trigger: "earn",
        reward: { points_per_amount: { points: 3, per_amount_minor: 1_000 } },
        priority: 5,
      });
      const fixed = await program.promote({ trigger: "earn", reward: { bonus_points: 7 } });
      const simulation = await program.simulated({
        external_id: externalId,
        purchase: { amount_minor: 12_345, currency: "USD" },
      });
      expect(simulation).toEqual({
        base_points: 123,
        bonuses: [
          { source: "tier", source_id: "silver", points: 30 },
          { source: "promotion", source_id: perAmount.id, points: 37 },
          { source: "promotion", source_id: double.id, points: 123 },
          { source: "promotion", source_id: fixed.id, points: 7 },
        ],
        skipped: [],
      });
      const earned = await program.purchase(externalId, 12_345);
      expect(earned.points).toBe(simulation.base_points);
      expect(withoutIds(earned.bonuses)).toEqual(simulation.bonuses);
      await expectLedgerInvariants(target.rows);
    });

    it("shows the upgrade bonus of the earn that crosses a tier minimum", async () => {
      const program = await tieredPromotionProgram(gw);
      const { externalId } = await program.enrol();
      await program.earn(externalId, 990);
      const simulation = await program.simulated({ external_id: externalId, points: 10 });
      expect(simulation.bonuses).toEqual([{ source: "tier_upgrade", source_id: "silver", points: 100 }]);
      expect(withoutIds((await program.earn(externalId, 10)).bonuses)).toEqual(simulation.bonuses);
    });

    /** A promotion the earn would skip for `reason`, and the member the simulation is for. */
    const skips: [string, (p: Awaited<ReturnType<typeof promotionProgram>>) => Promise<[string, string]>][] = [
      [
        "outside_schedule",
        async (p) => {
          const later = new Date(gw.clock.now().getTime() + dayMs).toISOString();
          const promotion = await p.promote({ trigger: "earn", starts_at: later, reward: { bonus_points: 5 } });
          return [promotion.id, (await p.enrol()).externalId];
        },
      ],
      [
        "not_in_audience",
        async (p) => {
          const promotion = await p.promote({
            trigger: "earn",
            audience: { channels: ["app"] },
            reward: { bonus_points: 5 },
          });
          return [promotion.id, (await p.enrol()).externalId];
        },
      ],
      [
        "condition",
        async (p) => {
          const promotion = await p.promote({
            trigger: "earn",
            conditions: { min_purchase_minor: 50_000 },
            reward: { bonus_points: 5 },
          });
          return [promotion.id, (await p.enrol()).externalId];
        },
      ],
      [
        "control_group",
        async (p) => {
          const promotion = await p.promote({ trigger: "earn", control_group_bps: 5_000, reward: { bonus_points: 5 } });
          return [promotion.id, (await p.enrolHeld(promotion.id, 5_000)).externalId];
        },
      ],
      [
        "budget_exhausted",
        async (p) => {
          const promotion = await p.promote({
            trigger: "earn",
            reward: { bonus_points: 5 },
            limits: { budget_points: 5 },
          });
          await p.earn((await p.enrol()).externalId, 1);
          return [promotion.id, (await p.enrol()).externalId];
        },
      ],
      [
        "member_limit",
        async (p) => {
          const promotion = await p.promote({
            trigger: "earn",
            reward: { bonus_points: 5 },
            limits: { max_awards_per_member: 1 },
          });
          const { externalId } = await p.enrol();
          await p.earn(externalId, 1);
          return [promotion.id, externalId];
        },
      ],
    ];
    for (const [reason, arrange] of skips)
      it(`names ${reason} as the reason a promotion would pay nothing, and the earn pays nothing`, async () => {
        const program = await promotionProgram(gw);
        const [promotionId, externalId] = await arrange(program);
        const simulation = await program.simulated({
          external_id: externalId,
          purchase: { amount_minor: 1_000, currency: "USD" },
          channel: "store",
        });
        expect(simulation).toEqual({ base_points: 10, bonuses: [], skipped: [{ promotion_id: promotionId, reason }] });
        const earned = await program.purchase(externalId, 1_000, { channel: "store" });
        expect(earned.bonuses).toEqual([]);
      });

    it("names exclusive for promotions an exclusive one beat", async () => {
      const program = await promotionProgram(gw);
      const winner = await program.promote({
        trigger: "earn",
        stacking: "exclusive",
        priority: 10,
        reward: { bonus_points: 50 },
      });
      const loser = await program.promote({ trigger: "earn", reward: { bonus_points: 5 } });
      const { externalId } = await program.enrol();
      const simulation = await program.simulated({ external_id: externalId, points: 100 });
      expect(simulation).toEqual({
        base_points: 100,
        bonuses: [{ source: "promotion", source_id: winner.id, points: 50 }],
        skipped: [{ promotion_id: loser.id, reason: "exclusive" }],
      });
      expect(withoutIds((await program.earn(externalId, 100)).bonuses)).toEqual(simulation.bonuses);
    });

    it("writes nothing", async () => {
      const program = await promotionProgram(gw);
      const promotion = await program.promote({
        trigger: "earn",
        reward: { multiplier_bps: 15_000 },
        limits: { budget_points: 1_000 },
      });
      const challenge = await program.promote({
        trigger: "challenge",
        challenge: { earns: 1 },
        reward: { bonus_points: 9 },
      });
      const { externalId } = await program.enrol();
      await program.earn(externalId, 100);
      const counts = async () =>
        (
          await gw.rows(
            `select (select count(*) from ledger_transactions) as transactions, (select count(*) from events) as events,
                    (select count(*) from promotion_members) as exposures, (select count(*) from idempotency_keys) as keys,
                    (select sum(points_awarded) from promotions) as awarded`,
          )
        )[0];
      const before = { counts: await counts(), balance: await program.balance(externalId) };
      const simulation = await program.simulated({ external_id: externalId, points: 400 });
      expect(simulation.bonuses).toEqual([{ source: "promotion", source_id: promotion.id, points: 200 }]);
      // The challenge was completed by the first earn: nothing more to pay.
      expect(simulation.skipped).toEqual([{ promotion_id: challenge.id, reason: "member_limit" }]);
      expect(await program.challenges(externalId)).toMatchObject([
        { promotion_id: challenge.id, progress: { earns: 1 } },
      ]);
      expect({ counts: await counts(), balance: await program.balance(externalId) }).toEqual(before);
      expect(await program.budgetUsed(promotion.id)).toBe(50);
    });

    it("tries drafts only when asked, and at the time asked", async () => {
      const program = await promotionProgram(gw);
      const draft = await program.promote({
        trigger: "earn",
        status: "draft",
        schedule: { days_of_week: [6, 7], timezone: "Europe/Lisbon" },
        reward: { bonus_points: 25 },
      });
      const { externalId } = await program.enrol();
      expect((await program.simulated({ external_id: externalId, points: 10 })).bonuses).toEqual([]);
      // 2030-06-01 is a Saturday; 23:30 UTC on Sunday 2030-06-02 is already Monday in Lisbon.
      const saturday = await program.simulated({
        external_id: externalId,
        points: 10,
        include_drafts: true,
        at: "2030-06-01T12:00:00Z",
      });
      expect(saturday.bonuses).toEqual([{ source: "promotion", source_id: draft.id, points: 25 }]);
      const monday = await program.simulated({
        external_id: externalId,
        points: 10,
        include_drafts: true,
        at: "2030-06-02T23:30:00Z",
      });
      expect(monday.skipped).toEqual([{ promotion_id: draft.id, reason: "outside_schedule" }]);
    });

    it("is for the owner and the operator, as a partner that may earn", async () => {
      const program = await promotionProgram(gw);
      const promotion = await program.promote({
        trigger: "earn",
        audience: { earning_partners: [program.owner.id] },
        reward: { bonus_points: 5 },
      });
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      const { externalId } = await program.enrol();
      const body = { external_id: externalId, points: 10 };
      const asOperator = expectBody(await program.simulate(body, gw.operator), op.simulatePromotions, 200);
      expect(asOperator.bonuses).toEqual([{ source: "promotion", source_id: promotion.id, points: 5 }]);
      const asGrocer = await program.simulated({ ...body, partner_id: grocer.id });
      expect(asGrocer.skipped).toEqual([{ promotion_id: promotion.id, reason: "not_in_audience" }]);
      expectProblem(await program.simulate(body, grocer), 403, "forbidden", "an agreement partner");
      expectProblem(await program.simulate(body, await onboardPartner(gw)), 404, "not_found", "another partner");
      expectProblem(await program.simulate({ ...body, external_id: "nobody" }), 404, "not_found", "no such member");
      const stranger = await onboardPartner(gw);
      const noAgreement = await program.simulate({ ...body, partner_id: stranger.id });
      expectProblem(noAgreement, 400, "validation_failed", "a partner without an agreement");
      expect((noAgreement.body as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual([
        "partner_id",
      ]);
      const both = await program.simulate({ ...body, purchase: { amount_minor: 100, currency: "USD" } });
      expectProblem(both, 400, "validation_failed", "points and purchase");
    });
  });

  describe("challenges", () => {
    it("shows a member's progress in each challenge in force, and its completion", async () => {
      const program = await tieredPromotionProgram(gw);
      const threeEarns = await program.promote({
        trigger: "challenge",
        name: "Three visits",
        challenge: { earns: 3 },
        reward: { bonus_points: 300 },
      });
      const spend = await program.promote({
        trigger: "challenge",
        name: "Spend 500",
        challenge: { spend_minor: 50_000 },
        reward: { bonus_points: 1_000 },
        priority: 1,
      });
      await program.promote({
        trigger: "challenge",
        audience: { tiers: ["gold"] },
        challenge: { earns: 1 },
        reward: { bonus_points: 1 },
      });
      const past = new Date(gw.clock.now().getTime() - 10 * dayMs).toISOString();
      const ended = new Date(gw.clock.now().getTime() - 5 * dayMs).toISOString();
      await program.promote({
        trigger: "challenge",
        starts_at: past,
        ends_at: ended,
        challenge: { earns: 1 },
        reward: { bonus_points: 1 },
      });
      const { externalId } = await program.enrol();
      const start = await program.challenges(externalId);
      expect(start).toEqual([
        {
          promotion_id: spend.id,
          name: "Spend 500",
          ends_at: null,
          target: { earns: null, spend_minor: 50_000 },
          progress: { earns: 0, spend_minor: 0 },
          completed_at: null,
          bonus_points: 1_000,
        },
        {
          promotion_id: threeEarns.id,
          name: "Three visits",
          ends_at: null,
          target: { earns: 3, spend_minor: null },
          progress: { earns: 0, spend_minor: 0 },
          completed_at: null,
          bonus_points: 300,
        },
      ]);
      await program.purchase(externalId, 10_000);
      await program.earn(externalId, 5);
      // Every qualifying earn counts towards every challenge, as an earn and as spend.
      expect((await program.challenges(externalId)).map((c) => c.progress)).toEqual([
        { earns: 2, spend_minor: 10_000 },
        { earns: 2, spend_minor: 10_000 },
      ]);
      const third = await program.purchase(externalId, 45_000);
      expect(withoutIds(third.bonuses)).toEqual([
        { source: "promotion", source_id: spend.id, points: 1_000 },
        { source: "promotion", source_id: threeEarns.id, points: 300 },
      ]);
      const done = await program.challenges(externalId);
      expect(done.map((c) => [c.progress, c.completed_at])).toEqual([
        [{ earns: 3, spend_minor: 55_000 }, gw.clock.now().toISOString()],
        [{ earns: 3, spend_minor: 55_000 }, gw.clock.now().toISOString()],
      ]);
      // Completed: later earns pay it no more.
      expect(withoutIds((await program.purchase(externalId, 1_000)).bonuses)).toEqual([]);
      await expectLedgerInvariants(target.rows);
    });

    it("hides a challenge from members held out of it, and is for partners with an agreement", async () => {
      const program = await promotionProgram(gw);
      const challenge = await program.promote({
        trigger: "challenge",
        challenge: { earns: 2 },
        reward: { bonus_points: 50 },
        control_group_bps: 5_000,
      });
      const held = await program.enrolHeld(challenge.id, 5_000);
      const treated = await program.enrolHeld(challenge.id, 5_000, false);
      expect(await program.challenges(held.externalId)).toEqual([]);
      await program.earn(held.externalId, 1);
      expect(await program.challenges(held.externalId)).toEqual([]);
      expect((await program.challenges(treated.externalId)).map((c) => c.promotion_id)).toEqual([challenge.id]);
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      expect((await program.challenges(treated.externalId, grocer)).length).toBe(1);
      const stranger = await onboardPartner(gw);
      expectProblem(
        await gw.call("GET", `/v1/programs/${program.programId}/members/${treated.externalId}/challenges`, {
          as: stranger,
        }),
        404,
        "not_found",
        "another partner",
      );
    });
  });
}
