import { describe, expect, it } from "vitest";
import { groupOf } from "../../gateway/src/domain/promotions/control-group";
import type { Promotion } from "../../gateway/src/domain/promotions/definition";
import {
  evaluatePromotions,
  type PromotionContext,
  type PromotionEvent,
  readsFor,
  type Standing,
  standingKey,
} from "../../gateway/src/domain/promotions/evaluate";

const at = new Date("2025-06-06T12:00:00Z"); // a Friday
let made = 0;

/** An active earn promotion paying 100 bonus points, open-ended, created a minute after the previous one. */
function promotion(overrides: Partial<Promotion> = {}): Promotion {
  made += 1;
  return {
    id: `pro_${String(made).padStart(4, "0")}`,
    programId: "prg_1",
    campaignId: null,
    name: `promotion ${made}`,
    description: null,
    status: "active",
    startsAt: new Date("2025-01-01T00:00:00Z"),
    endsAt: null,
    trigger: "earn",
    schedule: null,
    audience: null,
    conditions: null,
    challenge: null,
    activityTypes: null,
    reward: { bonus_points: 100 },
    budgetPoints: null,
    maxPointsPerMember: null,
    maxAwardsPerMember: null,
    controlGroupBps: 0,
    stacking: "stack",
    priority: 0,
    pointsAwarded: 0,
    budgetExhaustedAt: null,
    createdAt: new Date(Date.parse("2025-01-01T00:00:00Z") + made * 60_000),
    updatedAt: new Date("2025-01-01T00:00:00Z"),
    ...overrides,
  };
}

const context = (overrides: Partial<PromotionContext> = {}): PromotionContext => ({
  programTimeZone: "UTC",
  member: { id: "mem_alice", tierKey: "silver", referredByMemberId: null },
  segments: new Set(),
  standings: new Map(),
  ...overrides,
});

const earn = (overrides: Partial<Extract<PromotionEvent, { kind: "earn" }>> = {}): PromotionEvent => ({
  kind: "earn",
  at,
  partnerId: "ptn_owner",
  channel: "store",
  points: 1_000,
  amountMinor: 100_000,
  firstEarn: false,
  ...overrides,
});

const standing = (overrides: Partial<Standing> = {}): Standing => ({
  pointsAwarded: 0,
  awards: 0,
  challengeEarns: 0,
  challengeSpendMinor: 0,
  onceAwarded: false,
  ...overrides,
});

/** A member id whose bucket puts it in `group` of a promotion holding out `bps`. */
function memberIn(group: "control" | "treatment", promotion: Pick<Promotion, "id" | "controlGroupBps">): string {
  for (let i = 0; ; i++) if (groupOf(promotion, `mem_${i}`) === group) return `mem_${i}`;
}

const paid = (evaluation: ReturnType<typeof evaluatePromotions>) =>
  evaluation.awards.map((award) => [award.promotion.id, award.recipientMemberId, award.points]);

describe("evaluating promotions on an earn", () => {
  it("pays every matching stacking promotion, each reward type as the contract computes it", () => {
    const double = promotion({ reward: { multiplier_bps: 20_000 } });
    const fixed = promotion({ reward: { bonus_points: 250 } });
    const perAmount = promotion({ reward: { points_per_amount: { points: 3, per_amount_minor: 100 } } });
    const evaluation = evaluatePromotions([perAmount, fixed, double], context(), earn({ amountMinor: 12_345 }));
    expect(paid(evaluation)).toEqual([
      [double.id, "mem_alice", 1_000],
      [fixed.id, "mem_alice", 250],
      [perAmount.id, "mem_alice", 370],
    ]);
    expect(evaluation.exposures.map((exposure) => [exposure.promotion.id, exposure.group])).toEqual([
      [double.id, "treatment"],
      [fixed.id, "treatment"],
      [perAmount.id, "treatment"],
    ]);
    expect(evaluation.skipped).toEqual([]);
  });

  it("lets the exclusive promotion with the highest priority pay alone", () => {
    const stacking = promotion({ priority: 100 });
    const low = promotion({ stacking: "exclusive", priority: 5 });
    const high = promotion({ stacking: "exclusive", priority: 10, reward: { bonus_points: 7 } });
    const evaluation = evaluatePromotions([stacking, low, high], context(), earn());
    expect(paid(evaluation)).toEqual([[high.id, "mem_alice", 7]]);
    expect(evaluation.skipped).toEqual([
      { promotion_id: stacking.id, reason: "exclusive" },
      { promotion_id: low.id, reason: "exclusive" },
    ]);
    // Everyone who qualified is exposed, excluded or not.
    expect(evaluation.exposures).toHaveLength(3);
  });

  it("breaks a priority tie by age, then by id", () => {
    const older = promotion({ stacking: "exclusive", priority: 3 });
    const newer = promotion({ stacking: "exclusive", priority: 3 });
    expect(paid(evaluatePromotions([newer, older], context(), earn()))).toEqual([[older.id, "mem_alice", 100]]);
    const twin = promotion({ stacking: "exclusive", priority: 3, createdAt: older.createdAt, id: "pro_0000" });
    expect(paid(evaluatePromotions([older, twin], context(), earn()))).toEqual([["pro_0000", "mem_alice", 100]]);
  });

  it("passes over an exclusive promotion without budget left or at the member's limit", () => {
    const stacking = promotion();
    const exhausted = promotion({ stacking: "exclusive", priority: 9, budgetPoints: 50, pointsAwarded: 50 });
    const capped = promotion({ stacking: "exclusive", priority: 8, maxAwardsPerMember: 1 });
    const standings = new Map([[standingKey(capped.id, "mem_alice"), standing({ awards: 1 })]]);
    const evaluation = evaluatePromotions([stacking, exhausted, capped], context({ standings }), earn());
    expect(paid(evaluation)).toEqual([[stacking.id, "mem_alice", 100]]);
    expect(evaluation.skipped).toEqual([
      { promotion_id: exhausted.id, reason: "budget_exhausted" },
      { promotion_id: capped.id, reason: "member_limit" },
    ]);
  });

  it("excludes the others even when the winning exclusive promotion holds the member out or pays 0 points", () => {
    const stacking = promotion();
    const held = promotion({ stacking: "exclusive", priority: 8, controlGroupBps: 5_000 });
    const member = memberIn("control", held);
    const challenge = promotion({ trigger: "challenge", challenge: { earns: 1 } });
    const evaluation = evaluatePromotions(
      [stacking, held, challenge],
      context({ member: { id: member, tierKey: null, referredByMemberId: null } }),
      earn(),
    );
    expect(paid(evaluation)).toEqual([[challenge.id, member, 100]]);
    expect(evaluation.skipped).toEqual([
      { promotion_id: held.id, reason: "control_group" },
      { promotion_id: stacking.id, reason: "exclusive" },
    ]);
    const perAmount = promotion({
      stacking: "exclusive",
      priority: 8,
      reward: { points_per_amount: { points: 1, per_amount_minor: 100 } },
    });
    const nothing = evaluatePromotions([stacking, perAmount], context(), earn({ amountMinor: null }));
    expect(nothing).toMatchObject({
      awards: [],
      skipped: [
        { promotion_id: perAmount.id, reason: "condition" },
        { promotion_id: stacking.id, reason: "exclusive" },
      ],
    });
  });

  it("checks schedule, audience, conditions, control group, budget and member limit in that order", () => {
    const late = promotion({ startsAt: new Date("2030-01-01T00:00:00Z"), audience: { tiers: ["gold"] } });
    const ended = promotion({ endsAt: at });
    const weekend = promotion({ schedule: { days_of_week: [6, 7] } });
    const gold = promotion({ audience: { tiers: ["gold"] }, conditions: { min_purchase_minor: 1 } });
    const big = promotion({ conditions: { min_purchase_minor: 100_001 }, controlGroupBps: 5_000 });
    const spent = promotion({ budgetPoints: 1_000, pointsAwarded: 1_000, maxAwardsPerMember: 1 });
    const capped = promotion({ maxAwardsPerMember: 2 });
    const evaluation = evaluatePromotions(
      [late, ended, weekend, gold, big, spent, capped],
      context({ standings: new Map([[standingKey(capped.id, "mem_alice"), standing({ awards: 2 })]]) }),
      earn(),
    );
    expect(evaluation.skipped.map((skip) => skip.reason)).toEqual([
      "outside_schedule",
      "outside_schedule",
      "outside_schedule",
      "not_in_audience",
      "condition",
      "budget_exhausted",
      "member_limit",
    ]);
    // Exposed: those past the conditions, whatever they paid.
    expect(evaluation.exposures.map((exposure) => exposure.promotion.id)).toEqual([spent.id, capped.id]);
  });

  it("matches audiences by tier, segment, earning partner and channel; a missing list does not restrict", () => {
    const cases: [Promotion["audience"], boolean][] = [
      [{ tiers: ["silver", "gold"] }, true],
      [{ tiers: ["gold"] }, false],
      [{ segments: ["seg_b", "seg_a"] }, true],
      [{ segments: ["seg_c"] }, false],
      [{ earning_partners: ["ptn_owner"] }, true],
      [{ earning_partners: ["ptn_other"] }, false],
      [{ channels: ["store", "web"] }, true],
      [{ channels: ["app"] }, false],
      [{ tiers: ["silver"], channels: ["app"] }, false],
      [{}, true],
    ];
    for (const [audience, applies] of cases) {
      const evaluation = evaluatePromotions(
        [promotion({ audience })],
        context({ segments: new Set(["seg_a"]) }),
        earn(),
      );
      expect(evaluation.awards.length === 1, JSON.stringify(audience)).toBe(applies);
    }
    const noTier = context({ member: { id: "mem_bob", tierKey: null, referredByMemberId: null } });
    expect(evaluatePromotions([promotion({ audience: { tiers: ["silver"] } })], noTier, earn()).awards).toEqual([]);
    const noChannel = evaluatePromotions(
      [promotion({ audience: { channels: ["store"] } })],
      context(),
      earn({ channel: null }),
    );
    expect(noChannel.skipped.map((skip) => skip.reason)).toEqual(["not_in_audience"]);
  });

  it("needs a purchase of at least min_purchase_minor; a points-only earn never meets it", () => {
    const min = promotion({ conditions: { min_purchase_minor: 5_000 } });
    expect(evaluatePromotions([min], context(), earn({ amountMinor: 5_000 })).awards).toHaveLength(1);
    expect(evaluatePromotions([min], context(), earn({ amountMinor: 4_999 })).skipped[0]?.reason).toBe("condition");
    expect(evaluatePromotions([min], context(), earn({ amountMinor: null })).skipped[0]?.reason).toBe("condition");
  });

  it("exposes held-out members in the control group and pays them nothing", () => {
    const split = promotion({ controlGroupBps: 5_000 });
    const held = memberIn("control", split);
    const evaluation = evaluatePromotions(
      [split],
      context({ member: { id: held, tierKey: null, referredByMemberId: null } }),
      earn(),
    );
    expect(evaluation.awards).toEqual([]);
    expect(evaluation.exposures.map((exposure) => exposure.group)).toEqual(["control"]);
    expect(evaluation.skipped).toEqual([{ promotion_id: split.id, reason: "control_group" }]);
  });

  it("cuts an award to the budget left and marks the one that ends it", () => {
    const budget = promotion({ budgetPoints: 1_000, pointsAwarded: 960 });
    const [award] = evaluatePromotions([budget], context(), earn()).awards;
    expect(award).toMatchObject({ points: 40, exhaustsBudget: true });
    const exact = promotion({ budgetPoints: 1_000, pointsAwarded: 900 });
    expect(evaluatePromotions([exact], context(), earn()).awards[0]).toMatchObject({
      points: 100,
      exhaustsBudget: true,
    });
    const room = promotion({ budgetPoints: 1_000, pointsAwarded: 899 });
    expect(evaluatePromotions([room], context(), earn()).awards[0]).toMatchObject({
      points: 100,
      exhaustsBudget: false,
    });
  });

  it("cuts to the member's points left and stops at its maximum awards", () => {
    const capped = promotion({ maxPointsPerMember: 250, maxAwardsPerMember: 5 });
    const key = standingKey(capped.id, "mem_alice");
    const cut = evaluatePromotions(
      [capped],
      context({ standings: new Map([[key, standing({ pointsAwarded: 200, awards: 2 })]]) }),
      earn(),
    );
    expect(cut.awards[0]?.points).toBe(50);
    const full = evaluatePromotions(
      [capped],
      context({ standings: new Map([[key, standing({ pointsAwarded: 250, awards: 3 })]]) }),
      earn(),
    );
    expect(full.skipped).toEqual([{ promotion_id: capped.id, reason: "member_limit" }]);
    const counted = evaluatePromotions(
      [capped],
      context({ standings: new Map([[key, standing({ pointsAwarded: 10, awards: 5 })]]) }),
      earn(),
    );
    expect(counted.skipped).toEqual([{ promotion_id: capped.id, reason: "member_limit" }]);
  });

  it("skips a reward of 0 points as a condition not met, but exposes the member", () => {
    const perAmount = promotion({ reward: { points_per_amount: { points: 1, per_amount_minor: 100 } } });
    const evaluation = evaluatePromotions([perAmount], context(), earn({ amountMinor: null }));
    expect(evaluation).toMatchObject({ awards: [], skipped: [{ promotion_id: perAmount.id, reason: "condition" }] });
    expect(evaluation.exposures).toHaveLength(1);
  });

  it("caps an award at 10^9 points", () => {
    const huge = promotion({ reward: { points_per_amount: { points: 1_000_000, per_amount_minor: 1 } } });
    expect(evaluatePromotions([huge], context(), earn({ amountMinor: 1_000_000_000_000 })).awards[0]?.points).toBe(
      1_000_000_000,
    );
  });
});

describe("evaluating challenges and referrals", () => {
  it("moves a challenge on with every qualifying earn and pays once when it reaches the target", () => {
    const challenge = promotion({
      trigger: "challenge",
      challenge: { earns: 3, spend_minor: 50_000 },
      reward: { bonus_points: 500 },
    });
    const key = standingKey(challenge.id, "mem_alice");
    const second = evaluatePromotions(
      [challenge],
      context({ standings: new Map([[key, standing({ challengeEarns: 1 })]]) }),
      earn({ amountMinor: 100 }),
    );
    expect(second.progress.map(({ earns, spendMinor, completes }) => ({ earns, spendMinor, completes }))).toEqual([
      { earns: 1, spendMinor: 100, completes: false },
    ]);
    expect(second.awards).toEqual([]);
    expect(second.skipped).toEqual([]);
    const third = evaluatePromotions(
      [challenge],
      context({ standings: new Map([[key, standing({ challengeEarns: 2 })]]) }),
      earn({ amountMinor: 100 }),
    );
    expect(third.awards).toMatchObject([{ points: 500, once: true }]);
    const bySpend = evaluatePromotions(
      [challenge],
      context({ standings: new Map([[key, standing({ challengeSpendMinor: 49_999 })]]) }),
      earn({ amountMinor: 1 }),
    );
    expect(bySpend.progress[0]?.completes).toBe(true);
    const done = evaluatePromotions(
      [challenge],
      context({ standings: new Map([[key, standing({ challengeEarns: 9, onceAwarded: true })]]) }),
      earn(),
    );
    expect(done).toMatchObject({ awards: [], skipped: [{ promotion_id: challenge.id, reason: "member_limit" }] });
    expect(done.progress[0]?.completes).toBe(true);
  });

  it("moves a held-out member's challenge on too, and never pays it", () => {
    const challenge = promotion({ trigger: "challenge", challenge: { earns: 1 }, controlGroupBps: 5_000 });
    const held = memberIn("control", challenge);
    const evaluation = evaluatePromotions(
      [challenge],
      context({ member: { id: held, tierKey: null, referredByMemberId: null } }),
      earn(),
    );
    expect(evaluation.progress).toHaveLength(1);
    expect(evaluation.awards).toEqual([]);
    expect(evaluation.skipped).toEqual([{ promotion_id: challenge.id, reason: "control_group" }]);
  });

  it("is not excluded by an exclusive earn promotion", () => {
    const exclusive = promotion({ stacking: "exclusive", priority: 50 });
    const challenge = promotion({ trigger: "challenge", challenge: { earns: 1 } });
    expect(paid(evaluatePromotions([exclusive, challenge], context(), earn())).map(([id]) => id)).toEqual([
      challenge.id,
      exclusive.id,
    ]);
  });

  it("pays a referral to the referred member and its referrer on the first earn only", () => {
    const referral = promotion({
      trigger: "referral",
      reward: { bonus_points: 300 },
      budgetPoints: 1_000,
      pointsAwarded: 400,
    });
    const referred = context({ member: { id: "mem_new", tierKey: null, referredByMemberId: "mem_old" } });
    const first = evaluatePromotions([referral], referred, earn({ firstEarn: true }));
    expect(
      first.awards.map(({ recipientMemberId, points, once, exhaustsBudget }) => ({
        recipientMemberId,
        points,
        once,
        exhaustsBudget,
      })),
    ).toEqual([
      { recipientMemberId: "mem_new", points: 300, once: true, exhaustsBudget: false },
      { recipientMemberId: "mem_old", points: 300, once: false, exhaustsBudget: true },
    ]);
    expect(evaluatePromotions([referral], referred, earn({ firstEarn: false }))).toEqual({
      awards: [],
      exposures: [],
      progress: [],
      skipped: [],
    });
    expect(evaluatePromotions([referral], context(), earn({ firstEarn: true })).awards).toEqual([]);
  });

  it("shares one budget between both sides of a referral, and counts the referrer's own limits", () => {
    const referral = promotion({
      trigger: "referral",
      reward: { bonus_points: 300 },
      budgetPoints: 1_000,
      pointsAwarded: 500,
      maxAwardsPerMember: 3,
    });
    const standings = new Map([[standingKey(referral.id, "mem_old"), standing({ awards: 3, onceAwarded: true })]]);
    const referred = context({ member: { id: "mem_new", tierKey: null, referredByMemberId: "mem_old" }, standings });
    expect(paid(evaluatePromotions([referral], referred, earn({ firstEarn: true })))).toEqual([
      [referral.id, "mem_new", 300],
    ]);
    const tight = { ...referral, maxAwardsPerMember: null, pointsAwarded: 600 };
    expect(paid(evaluatePromotions([tight], referred, earn({ firstEarn: true })))).toEqual([
      [referral.id, "mem_new", 300],
      [referral.id, "mem_old", 100],
    ]);
  });

  it("pays neither side when the referred member is held out", () => {
    const referral = promotion({ trigger: "referral", controlGroupBps: 5_000 });
    const held = memberIn("control", referral);
    const referred = context({ member: { id: held, tierKey: null, referredByMemberId: "mem_old" } });
    const evaluation = evaluatePromotions([referral], referred, earn({ firstEarn: true }));
    expect(evaluation.awards).toEqual([]);
    expect(evaluation.exposures).toMatchObject([{ memberId: held, group: "control" }]);
  });

  it("holds the referrer out by its own hash: paid nothing, exposed in its control group", () => {
    const referral = promotion({ trigger: "referral", controlGroupBps: 5_000 });
    const referrer = memberIn("control", referral);
    const referredId = memberIn("treatment", referral);
    const referred = context({ member: { id: referredId, tierKey: null, referredByMemberId: referrer } });
    const evaluation = evaluatePromotions([referral], referred, earn({ firstEarn: true }));
    expect(paid(evaluation)).toEqual([[referral.id, referredId, 100]]);
    expect(evaluation.awards[0]?.group).toBe("treatment");
    expect(evaluation.exposures.map(({ memberId, group }) => [memberId, group])).toEqual([
      [referredId, "treatment"],
      [referrer, "control"],
    ]);
    expect(evaluation.skipped).toEqual([{ promotion_id: referral.id, reason: "control_group" }]);
  });
});

describe("evaluating enrolments and activities", () => {
  it("sets off only the promotions of the event's kind", () => {
    const onEarn = promotion();
    const onEnrolment = promotion({ trigger: "enrolment", reward: { bonus_points: 50 } });
    const onReview = promotion({
      trigger: "activity",
      activityTypes: ["review_written"],
      reward: { bonus_points: 20 },
    });
    const all = [onEarn, onEnrolment, onReview];
    const base = { at, partnerId: "ptn_owner", channel: null };
    expect(paid(evaluatePromotions(all, context(), { ...base, kind: "enrolment" }))).toEqual([
      [onEnrolment.id, "mem_alice", 50],
    ]);
    expect(evaluatePromotions(all, context(), { ...base, kind: "enrolment" }).awards[0]?.once).toBe(true);
    expect(
      paid(evaluatePromotions(all, context(), { ...base, kind: "activity", activityType: "review_written" })),
    ).toEqual([[onReview.id, "mem_alice", 20]]);
    expect(
      evaluatePromotions(all, context(), { ...base, kind: "activity", activityType: "social_share" }).awards,
    ).toEqual([]);
  });
});

describe("what an evaluation needs read first", () => {
  it("asks nothing when no promotion is in play", () => {
    expect(readsFor([], context(), earn())).toEqual({ segmentIds: [], standings: false, referral: false });
    const weekend = promotion({
      schedule: { days_of_week: [6] },
      audience: { segments: ["seg_x"] },
      maxAwardsPerMember: 1,
    });
    expect(readsFor([weekend, promotion()], context(), earn())).toEqual({
      segmentIds: [],
      standings: false,
      referral: false,
    });
  });

  it("asks for the segments of promotions in play, the member's rows under limits or one-offs, and a referral", () => {
    const a = promotion({ audience: { segments: ["seg_a", "seg_b"] } });
    const b = promotion({ audience: { segments: ["seg_b"] }, maxPointsPerMember: 10 });
    expect(readsFor([a, b], context(), earn())).toEqual({
      segmentIds: ["seg_a", "seg_b"],
      standings: true,
      referral: false,
    });
    const referral = promotion({ trigger: "referral" });
    const referred = context({ member: { id: "mem_new", tierKey: null, referredByMemberId: "mem_old" } });
    expect(readsFor([referral], referred, earn({ firstEarn: false }))).toEqual({
      segmentIds: [],
      standings: true,
      referral: true,
    });
  });
});
