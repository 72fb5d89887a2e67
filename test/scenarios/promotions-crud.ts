import { describe, expect, it } from "vitest";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { earnDefinition, type PromotedProgram, problemPaths, promotedProgram } from "./promotion-crud-fixtures";
import * as op from "./routes";
import type { Credential, Target } from "./target";

/**
 * Hostile definitions (API-programs.md "Promotions and campaigns", the design notes of issue 18): changes to
 * `earnDefinition` (undefined leaves a field out, so only a create can miss it) with the paths the 400 must name.
 * `p` gives the program's ids.
 */
const hostile = (p: PromotedProgram): [string, Record<string, unknown>, string[]][] => [
  ["ends_at before starts_at", { ends_at: "2026-05-31T23:59:59Z" }, ["ends_at"]],
  ["ends_at equal to starts_at, in another offset", { ends_at: "2026-06-01T02:00:00+02:00" }, ["ends_at"]],
  ["a starts_at that is no instant", { starts_at: "next monday" }, ["starts_at"]],
  ["an unknown trigger", { trigger: "purchase" }, ["trigger"]],
  ["an unknown tier", { audience: { tiers: ["gold", "platinum"] } }, ["audience.tiers[1]"]],
  ["an unknown segment", { audience: { segments: [p.list.id, "seg_nope"] } }, ["audience.segments[1]"]],
  ["another program's segment", { audience: { segments: [p.strangerSegment.id] } }, ["audience.segments[0]"]],
  ["an unknown partner", { audience: { earning_partners: ["ptn_nope"] } }, ["audience.earning_partners[0]"]],
  [
    "a partner without an agreement in the program",
    { audience: { earning_partners: [p.grocer.id, p.stranger.owner.id] } },
    ["audience.earning_partners[1]"],
  ],
  ["an unknown channel", { audience: { channels: ["fax"] } }, ["audience.channels[0]"]],
  ["an empty audience list", { audience: { tiers: [] } }, ["audience.tiers"]],
  ["a repeated tier", { audience: { tiers: ["gold", "silver", "gold"] } }, ["audience.tiers[2]"]],
  ["an unknown audience key", { audience: { countries: ["PT"] } }, ["audience"]],
  ["an unknown campaign", { campaign_id: "cmp_nope" }, ["campaign_id"]],
  ["an empty campaign_id (null clears it)", { campaign_id: "" }, ["campaign_id"]],
  ["an empty tier key", { audience: { tiers: ["gold", ""] } }, ["audience.tiers[1]"]],
  ["an empty segment id", { audience: { segments: [""] } }, ["audience.segments[0]"]],
  ["an empty partner id", { audience: { earning_partners: [""] } }, ["audience.earning_partners[0]"]],
  ["an empty time zone", { schedule: { timezone: "" } }, ["schedule.timezone"]],
  ["an exclusive referral", { trigger: "referral", reward: { bonus_points: 10 }, stacking: "exclusive" }, ["stacking"]],
  [
    "an exclusive challenge",
    { trigger: "challenge", reward: { bonus_points: 10 }, challenge: { earns: 2 }, stacking: "exclusive" },
    ["stacking"],
  ],
  ["another program's campaign", { campaign_id: p.strangerCampaign.id }, ["campaign_id"]],
  ["a time zone that does not exist", { schedule: { timezone: "Mars/Olympus_Mons" } }, ["schedule.timezone"]],
  ["an offset for a time zone", { schedule: { timezone: "+05:00" } }, ["schedule.timezone"]],
  ["day 8", { schedule: { days_of_week: [1, 8] } }, ["schedule.days_of_week[1]"]],
  ["day 0", { schedule: { days_of_week: [0] } }, ["schedule.days_of_week[0]"]],
  ["a repeated day", { schedule: { days_of_week: [3, 1, 3] } }, ["schedule.days_of_week[2]"]],
  ["a fractional day", { schedule: { days_of_week: [1.5] } }, ["schedule.days_of_week[0]"]],
  ["from_time without to_time", { schedule: { from_time: "18:00" } }, ["schedule.to_time"]],
  ["to_time without from_time", { schedule: { to_time: "18:00" } }, ["schedule.from_time"]],
  ["24:00", { schedule: { from_time: "24:00", to_time: "02:00" } }, ["schedule.from_time"]],
  ["a time without its leading zero", { schedule: { from_time: "18:00", to_time: "2:00" } }, ["schedule.to_time"]],
  ["an empty window", { schedule: { from_time: "09:30", to_time: "09:30" } }, ["schedule.to_time"]],
  ["a multiplier over x100", { reward: { multiplier_bps: 1_000_001 } }, ["reward.multiplier_bps"]],
  ["a multiplier of x1", { reward: { multiplier_bps: 10_000 } }, ["reward.multiplier_bps"]],
  ["a multiplier overflowing 2^53", { reward: { multiplier_bps: 2 ** 53 + 2 } }, ["reward.multiplier_bps"]],
  ["a bonus of 0", { reward: { bonus_points: 0 } }, ["reward.bonus_points"]],
  ["a bonus over 10^9", { reward: { bonus_points: 1_000_000_001 } }, ["reward.bonus_points"]],
  [
    "points per amount of 0 points",
    { reward: { points_per_amount: { points: 0, per_amount_minor: 100 } } },
    ["reward.points_per_amount.points"],
  ],
  [
    "points per amount over 10^12 minor",
    { reward: { points_per_amount: { points: 1, per_amount_minor: 1e12 + 1 } } },
    ["reward.points_per_amount.per_amount_minor"],
  ],
  ["two rewards", { reward: { multiplier_bps: 20_000, bonus_points: 100 } }, ["reward"]],
  ["no reward kind", { reward: {} }, ["reward"]],
  ["no reward", { reward: undefined }, ["reward"]],
  ["a challenge without its targets", { trigger: "challenge", reward: { bonus_points: 500 } }, ["challenge"]],
  ["a challenge with no target", { trigger: "challenge", reward: { bonus_points: 500 }, challenge: {} }, ["challenge"]],
  [
    "a challenge of 0 earns",
    { trigger: "challenge", reward: { bonus_points: 5 }, challenge: { earns: 0 } },
    ["challenge.earns"],
  ],
  ["a challenge multiplying", { trigger: "challenge", challenge: { earns: 3 } }, ["reward.bonus_points"]],
  ["a challenge on an earn promotion", { challenge: { earns: 3 } }, ["challenge"]],
  [
    "a referral by points per amount",
    { trigger: "referral", reward: { points_per_amount: { points: 1, per_amount_minor: 1 } } },
    ["reward.bonus_points"],
  ],
  [
    "an activity without its types",
    { trigger: "activity", reward: { bonus_points: 50 }, conditions: null },
    ["activity_types"],
  ],
  [
    "an activity type with capitals",
    { trigger: "activity", reward: { bonus_points: 50 }, conditions: null, activity_types: ["review", "Social_Share"] },
    ["activity_types[1]"],
  ],
  [
    "a repeated activity type",
    { trigger: "activity", reward: { bonus_points: 50 }, conditions: null, activity_types: ["review", "review"] },
    ["activity_types[1]"],
  ],
  ["activity types on an earn promotion", { activity_types: ["review"] }, ["activity_types"]],
  [
    "an enrolment for a segment and a channel",
    {
      trigger: "enrolment",
      reward: { bonus_points: 50 },
      conditions: null,
      audience: { segments: [p.list.id], channels: ["app"] },
    },
    ["audience.channels", "audience.segments"],
  ],
  ["conditions on an enrolment", { trigger: "enrolment", reward: { bonus_points: 50 } }, ["conditions"]],
  ["a budget of 0", { limits: { budget_points: 0 } }, ["limits.budget_points"]],
  ["a budget over 10^12", { limits: { budget_points: 1e12 + 1 } }, ["limits.budget_points"]],
  ["a fractional member limit", { limits: { max_points_per_member: 2.5 } }, ["limits.max_points_per_member"]],
  ["a control group over half", { control_group_bps: 5_001 }, ["control_group_bps"]],
  ["a negative control group", { control_group_bps: -1 }, ["control_group_bps"]],
  ["a priority over 10^6", { priority: 1_000_001 }, ["priority"]],
  ["an unknown stacking", { stacking: "both" }, ["stacking"]],
  ["an empty name", { name: "  " }, ["name"]],
  ["a name of 201 characters", { name: "n".repeat(201) }, ["name"]],
  ["a description of 2001 characters", { description: "d".repeat(2001) }, ["description"]],
  ["an unknown field", { budget: 5 }, ["body"]],
  [
    "three problems at once",
    { ends_at: "2026-01-01T00:00:00Z", audience: { segments: ["seg_nope"] }, schedule: { timezone: "Nowhere/City" } },
    ["audience.segments[0]", "ends_at", "schedule.timezone"],
  ],
];

/** Issue 18, CRUD: promotions and campaigns, their life cycle, edit rules, hostile definitions and who reaches them. */
export function promotionCrudScenarios(target: Target) {
  const gw = connect(target);
  const now = () => target.clock.now().toISOString();

  describe("creating and reading promotions", () => {
    it("creates a promotion with every part, answers it as stored, and bumps promotions_version once", async () => {
      const p = await promotedProgram(gw, target);
      const before = await p.version();
      const audience = {
        tiers: ["silver", "gold"],
        segments: [p.list.id],
        earning_partners: [p.grocer.id, p.owner.id],
        channels: ["store", "app"],
      };
      const promotion = await p.created({ campaign_id: p.campaign.id, audience, stacking: "exclusive" });
      expect(promotion).toEqual({
        id: expect.stringMatching(/^pro_/),
        program_id: p.programId,
        campaign_id: p.campaign.id,
        name: "Weekend evenings double",
        description: "Twice the miles on Friday and Saturday evenings",
        status: "draft",
        starts_at: "2026-06-01T00:00:00.000Z",
        ends_at: "2026-08-31T22:00:00.000Z",
        trigger: "earn",
        schedule: { days_of_week: [5, 6], from_time: "18:00", to_time: "02:00", timezone: "UTC" },
        audience,
        conditions: { min_purchase_minor: 2_000 },
        challenge: null,
        activity_types: null,
        reward: { multiplier_bps: 20_000 },
        limits: { budget_points: 1_000_000, max_points_per_member: 5_000, max_awards_per_member: 10 },
        control_group_bps: 1_000,
        stacking: "exclusive",
        priority: 5,
        budget: { points: 1_000_000, used: 0, remaining: 1_000_000, exhausted_at: null },
        created_at: now(),
        updated_at: now(),
      });
      expect(await p.version()).toBe((before ?? 0) + 1);
      expect(expectBody(await p.get(promotion.id), op.getPromotion, 200)).toEqual(promotion);
      expect(await p.ids()).toEqual([promotion.id]);
    });

    it("leaves unset what a create leaves out: no end, schedule, audience, limits or control group; stack, priority 0", async () => {
      const p = await promotedProgram(gw, target);
      const answer = await p.create({
        name: "Welcome",
        status: "active",
        starts_at: "2026-01-01T00:00:00Z",
        trigger: "enrolment",
        reward: { bonus_points: 500 },
      });
      expect(expectBody(answer, op.createPromotion, 201)).toMatchObject({
        status: "active",
        ends_at: null,
        campaign_id: null,
        description: null,
        schedule: null,
        audience: null,
        conditions: null,
        challenge: null,
        activity_types: null,
        reward: { bonus_points: 500 },
        limits: { budget_points: null, max_points_per_member: null, max_awards_per_member: null },
        control_group_bps: 0,
        stacking: "stack",
        priority: 0,
        budget: { points: null, used: 0, remaining: null, exhausted_at: null },
      });
    });

    it("takes each trigger with its own parts: challenge, referral, activity, and points per amount", async () => {
      const p = await promotedProgram(gw, target);
      const challenge = await p.created({
        trigger: "challenge",
        reward: { bonus_points: 1_000 },
        challenge: { earns: 3, spend_minor: 50_000 },
      });
      expect([challenge.trigger, challenge.challenge, challenge.reward]).toEqual([
        "challenge",
        { earns: 3, spend_minor: 50_000 },
        { bonus_points: 1_000 },
      ]);
      const activity = await p.created({
        trigger: "activity",
        conditions: null,
        reward: { bonus_points: 50 },
        activity_types: ["review_written", "survey_completed"],
      });
      expect(activity.activity_types).toEqual(["review_written", "survey_completed"]);
      const referral = await p.created({ trigger: "referral", reward: { bonus_points: 250 } });
      expect(referral.reward).toEqual({ bonus_points: 250 });
      const perAmount = await p.created({ reward: { points_per_amount: { points: 3, per_amount_minor: 100 } } });
      expect(perAmount.reward).toEqual({ points_per_amount: { points: 3, per_amount_minor: 100 } });
      // The limits themselves are accepted.
      const edges = await p.created({
        ends_at: "2026-06-01T00:00:00.001Z",
        reward: { multiplier_bps: 1_000_000 },
        limits: { budget_points: 1e12, max_points_per_member: 1, max_awards_per_member: 1 },
        control_group_bps: 5_000,
        priority: -1_000_000,
        schedule: { days_of_week: [1, 2, 3, 4, 5, 6, 7], from_time: "00:00", to_time: "23:59" },
        name: "n".repeat(200),
      });
      expect(edges.budget.remaining).toBe(1e12);
    });

    it("lists newest first in cursor pages, narrowed by status, trigger and campaign_id", async () => {
      const p = await promotedProgram(gw, target);
      const a = await p.created({ campaign_id: p.campaign.id });
      const b = await p.created({ status: "active" });
      const c = await p.created({ trigger: "referral", reward: { bonus_points: 10 }, campaign_id: p.campaign.id });
      const d = await p.created({ status: "active", trigger: "referral", reward: { bonus_points: 10 } });
      const e = await p.created();
      expect(await p.ids()).toEqual([e.id, d.id, c.id, b.id, a.id]);
      const first = expectBody(await p.listed("?limit=2"), op.listPromotions, 200);
      expect([first.data.map((x) => x.id), first.has_more]).toEqual([[e.id, d.id], true]);
      const last = expectBody(await p.listed(`?limit=2&starting_after=${b.id}`), op.listPromotions, 200);
      expect([last.data.map((x) => x.id), last.has_more]).toEqual([[a.id], false]);
      expect(await p.ids(`?limit=2&ending_before=${b.id}`)).toEqual([d.id, c.id]);
      expect(await p.ids("?status=active")).toEqual([d.id, b.id]);
      expect(await p.ids("?trigger=referral")).toEqual([d.id, c.id]);
      expect(await p.ids(`?campaign_id=${p.campaign.id}`)).toEqual([c.id, a.id]);
      expect(await p.ids(`?status=draft&trigger=referral&campaign_id=${p.campaign.id}`)).toEqual([c.id]);
      expect(await p.ids("?status=ended")).toEqual([]);
      expectProblem(await p.listed("?status=live"), 400, "validation_failed");
      // An empty campaign_id names no campaign: refused at its path, not read as "no filter".
      expect(problemPaths(await p.listed("?campaign_id="))).toEqual(["campaign_id"]);
    });
  });

  describe("the life cycle", () => {
    const moves = async (p: PromotedProgram, from: string, path: string[]) => {
      const promotion = await p.created({ status: from });
      for (const status of path) {
        const version = await p.version();
        target.clock.advance(1_000);
        const moved = await p.patched(promotion.id, { status });
        expect([moved.status, moved.updated_at]).toEqual([status, now()]);
        expect(await p.version()).toBe((version ?? 0) + 1);
      }
    };

    it("moves draft -> active -> paused -> active -> ended, draft -> ended and paused -> ended, each bumping the version", async () => {
      const p = await promotedProgram(gw, target);
      await moves(p, "draft", ["active", "paused", "active", "ended"]);
      await moves(p, "draft", ["ended"]);
      await moves(p, "active", ["paused", "ended"]);
      // Staying where it is is no transition.
      await moves(p, "draft", ["draft", "active", "active", "paused", "paused"]);
    });

    it("ends the window when it ends: an end open or later than now becomes now, an earlier one stays", async () => {
      const p = await promotedProgram(gw, target);
      const at = (days: number) => new Date(target.clock.now().getTime() + days * 86_400_000).toISOString();
      const live = { status: "active", starts_at: at(-10), schedule: null, conditions: null };
      const open = await p.created({ ...live, ends_at: null });
      const later = await p.created({ ...live, ends_at: at(30) });
      const earlier = await p.created({ ...live, ends_at: at(-1) });
      const future = await p.created({ status: "draft", starts_at: at(5), ends_at: at(30) });
      target.clock.advance(1_000);
      const ended = async (id: string) => (await p.patched(id, { status: "ended" })).ends_at;
      expect(await ended(open.id)).toBe(now());
      expect(await ended(later.id)).toBe(now());
      expect(await ended(earlier.id)).toBe(earlier.ends_at);
      // Ended before it started: it never ran, so no window to close.
      expect(await ended(future.id)).toBe(future.ends_at);
      // An end sent with the move is cut to now too.
      const sent = await p.created({ ...live, ends_at: null });
      expect((await p.patched(sent.id, { status: "ended", ends_at: at(60) })).ends_at).toBe(now());
    });

    it("refuses every other move with 409 invalid_state at status, writing nothing", async () => {
      const p = await promotedProgram(gw, target);
      const at = async (path: string[]) => {
        const promotion = await p.created();
        for (const status of path) await p.patched(promotion.id, { status });
        return promotion.id;
      };
      const refusals: [string[], string][] = [
        [[], "paused"],
        [["active"], "draft"],
        [["active", "paused"], "draft"],
        [["ended"], "draft"],
        [["ended"], "active"],
        [["active", "ended"], "paused"],
        [["active", "ended"], "ended"],
      ];
      for (const [path, status] of refusals) {
        const id = await at(path);
        const before = await p.snapshot();
        const answer = await p.patch(id, { status });
        const problem = expectProblem(answer, 409, "invalid_state", `${path.join(">")} > ${status}`);
        if (path.at(-1) !== "ended") expect(problem.errors?.map((error) => error.path)).toEqual(["status"]);
        expect(await p.snapshot()).toEqual(before);
      }
      // A create is a draft or active, nothing else.
      for (const status of ["paused", "ended"])
        expect(problemPaths(await p.create({ ...earnDefinition, status }))).toEqual(["status"]);
    });
  });

  describe("what a promotion may change", () => {
    it("changes any field of a draft, checked as it will be, and keeps what was not sent", async () => {
      const p = await promotedProgram(gw, target);
      const draft = await p.created();
      target.clock.advance(60_000);
      const changes = {
        name: "Gold challenge",
        trigger: "challenge",
        reward: { bonus_points: 2_000 },
        challenge: { spend_minor: 100_000 },
        schedule: null,
        audience: { tiers: ["gold"] },
        campaign_id: p.campaign.id,
        control_group_bps: 0,
        stacking: "stack",
        priority: -3,
      };
      const changed = await p.patched(draft.id, { ...changes, starts_at: "2026-07-01T00:00:00Z" });
      expect(changed).toEqual({
        ...draft,
        ...changes,
        starts_at: "2026-07-01T00:00:00.000Z",
        updated_at: now(),
      });
      // Checked as it will be: a start after the end it keeps.
      expect(problemPaths(await p.patch(draft.id, { starts_at: "2026-09-01T00:00:00Z" }))).toEqual(["ends_at"]);
      // Nulls clear; limits change one at a time.
      const cleared = await p.patched(draft.id, {
        ends_at: null,
        description: null,
        campaign_id: null,
        limits: { max_awards_per_member: null },
      });
      expect([cleared.ends_at, cleared.description, cleared.campaign_id, cleared.limits]).toEqual([
        null,
        null,
        null,
        { budget_points: 1_000_000, max_points_per_member: 5_000, max_awards_per_member: null },
      ]);
      expect((await p.patched(draft.id, { limits: null })).limits).toEqual({
        budget_points: null,
        max_points_per_member: null,
        max_awards_per_member: null,
      });
    });

    it("changes only status, ends_at, limits and description once live; any other field is 409 naming it", async () => {
      const p = await promotedProgram(gw, target);
      for (const live of ["active", "paused"]) {
        const promotion = await p.created({ status: "active" });
        if (live === "paused") await p.patched(promotion.id, { status: "paused" });
        const frozen: Record<string, unknown> = {
          name: "Renamed",
          campaign_id: p.campaign.id,
          starts_at: "2026-05-01T00:00:00Z",
          trigger: "referral",
          schedule: null,
          audience: { tiers: ["gold"] },
          conditions: null,
          challenge: null,
          activity_types: null,
          reward: { multiplier_bps: 30_000 },
          control_group_bps: 0,
          stacking: "stack",
          priority: 9,
        };
        const before = await p.snapshot();
        for (const [field, value] of Object.entries(frozen)) {
          // Sent with an editable field: the whole PATCH is refused.
          const answer = await p.patch(promotion.id, { description: "Changed", [field]: value });
          const problem = expectProblem(answer, 409, "invalid_state", `${live} ${field}`);
          expect(problem.errors).toEqual([{ path: field, message: `cannot change while the promotion is ${live}` }]);
          expect(problem.detail).toContain(field);
        }
        expect(await p.snapshot()).toEqual(before);
        target.clock.advance(1_000);
        const current = expectBody(await p.get(promotion.id), op.getPromotion, 200);
        const changed = await p.patched(promotion.id, {
          description: "Extended",
          ends_at: "2026-12-01T00:00:00Z",
          limits: { budget_points: 2_000_000 },
        });
        expect(changed).toEqual({
          ...current,
          description: "Extended",
          ends_at: "2026-12-01T00:00:00.000Z",
          limits: { budget_points: 2_000_000, max_points_per_member: 5_000, max_awards_per_member: 10 },
          budget: { points: 2_000_000, used: 0, remaining: 2_000_000, exhausted_at: null },
          updated_at: now(),
        });
        // The end is still checked against the start.
        expect(problemPaths(await p.patch(promotion.id, { ends_at: "2026-06-01T00:00:00Z" }))).toEqual(["ends_at"]);
      }
    });

    it("keeps a budget at or above the points already awarded (400 at limits.budget_points below it)", async () => {
      const p = await promotedProgram(gw, target);
      const promotion = await p.created({
        status: "active",
        starts_at: "2025-01-01T00:00:00Z",
        ends_at: null,
        schedule: null,
        conditions: null,
        control_group_bps: 0,
        reward: { bonus_points: 100 },
        limits: { budget_points: 1_000 },
      });
      await p.earn("M", 10);
      const paid = expectBody(await p.get(promotion.id), op.getPromotion, 200);
      expect(paid.budget).toEqual({ points: 1_000, used: 100, remaining: 900, exhausted_at: null });
      const before = await p.snapshot();
      const below = await p.patch(promotion.id, { limits: { budget_points: 99 } });
      expect(expectProblem(below, 400, "validation_failed").errors).toEqual([
        { path: "limits.budget_points", message: "is below the 100 points already awarded" },
      ]);
      expect(await p.snapshot()).toEqual(before);
      const exact = await p.patched(promotion.id, { limits: { budget_points: 100 } });
      expect(exact.budget).toEqual({ points: 100, used: 100, remaining: 0, exhausted_at: null });
    });

    it("never leaves the budget below what was awarded when a PATCH lowers it while earns award", async () => {
      const p = await promotedProgram(gw, target);
      const promotion = await p.created({
        status: "active",
        starts_at: "2025-01-01T00:00:00Z",
        ends_at: null,
        schedule: null,
        conditions: null,
        control_group_bps: 0,
        reward: { bonus_points: 100 },
        limits: { budget_points: 10_000 },
      });
      const earns = Array.from({ length: 20 }, () => p.move("earn", "M", 10));
      const lowered = p.patch(promotion.id, { limits: { budget_points: 1_000 } });
      const answers = await Promise.all(earns);
      expect(answers.every((answer) => answer.status === 201)).toBe(true);
      const patch = await lowered;
      const { budget } = expectBody(await p.get(promotion.id), op.getPromotion, 200);
      if (patch.status === 200) expect(budget.points).toBe(1_000);
      else expect(problemPaths(patch)).toEqual(["limits.budget_points"]);
      expect(budget.used).toBeLessThanOrEqual(budget.points ?? 0);
    });

    it("changes nothing of an ended promotion (409), its description included", async () => {
      const p = await promotedProgram(gw, target);
      const promotion = await p.created();
      await p.patched(promotion.id, { status: "ended" });
      const before = await p.snapshot();
      for (const body of [{ description: "Too late" }, { limits: { budget_points: 5 } }, { ends_at: null }, {}])
        expectProblem(await p.patch(promotion.id, body), 409, "invalid_state", JSON.stringify(body));
      expect(await p.snapshot()).toEqual(before);
    });

    it("bumps promotions_version with every create and PATCH that writes, and never with a refused one", async () => {
      const p = await promotedProgram(gw, target);
      const start = (await p.version()) ?? 0;
      const promotion = await p.created();
      await p.patched(promotion.id, { description: "One" });
      await p.patch(promotion.id, { ends_at: "2020-01-01T00:00:00Z" });
      await p.create({ ...earnDefinition, control_group_bps: 9_999 });
      await p.patched(promotion.id, { status: "active" });
      await p.patch(promotion.id, { name: "Frozen now" });
      expect(await p.version()).toBe(start + 3);
    });
  });

  describe("hostile definitions", () => {
    it("refuses each with 400 validation_failed at its paths on create and on a draft's PATCH, writing nothing", async () => {
      const p = await promotedProgram(gw, target);
      const draft = await p.created();
      const { status: _, ...whole } = earnDefinition;
      const before = await p.snapshot();
      for (const [what, changes, paths] of hostile(p)) {
        const created = await p.create({ ...earnDefinition, ...changes });
        expectProblem(created, 400, "validation_failed", `create: ${what}`);
        expect.soft(problemPaths(created), `create: ${what}`).toEqual(paths);
        // A PATCH leaving a field out keeps it.
        if (Object.values(changes).includes(undefined)) continue;
        const patched = await p.patch(draft.id, { ...whole, ...changes });
        expectProblem(patched, 400, "validation_failed", `PATCH: ${what}`);
        expect.soft(problemPaths(patched), `PATCH: ${what}`).toEqual(paths);
      }
      expect(await p.snapshot()).toEqual(before);
    });

    it("refuses a body that is not an object, and an unknown promotion 404", async () => {
      const p = await promotedProgram(gw, target);
      expectProblem(await p.create([earnDefinition]), 400, "validation_failed");
      expectProblem(await p.create("{"), 400, "validation_failed");
      expectProblem(await p.patch("pro_nope", { description: "x" }), 404, "not_found");
      expectProblem(await p.get("pro_nope"), 404, "not_found");
    });
  });

  describe("who reaches promotions", () => {
    /** A promotion of each status, oldest first: draft, active, paused, ended. */
    const everyStatus = async (p: PromotedProgram) => {
      const draft = await p.created();
      const active = await p.created({ status: "active" });
      const paused = await p.created({ status: "active" });
      await p.patched(paused.id, { status: "paused" });
      const ended = await p.created();
      await p.patched(ended.id, { status: "ended" });
      return { draft, active, paused, ended };
    };

    it("answers 404 to another partner on every promotion route, even with a program of its own", async () => {
      const p = await promotedProgram(gw, target);
      const { draft, active } = await everyStatus(p);
      const other = p.stranger.owner;
      const before = await p.snapshot();
      for (const promotion of [draft, active]) {
        expectProblem(await p.get(promotion.id, other), 404, "not_found");
        expectProblem(await p.patch(promotion.id, { description: "x" }, other), 404, "not_found");
      }
      expectProblem(await p.listed("", other), 404, "not_found");
      expectProblem(await p.create(earnDefinition, other), 404, "not_found");
      expect(await p.snapshot()).toEqual(before);
    });

    it("lets a partner with an agreement read the active promotions only, and change none", async () => {
      const p = await promotedProgram(gw, target);
      const { draft, active, paused, ended } = await everyStatus(p);
      const before = await p.snapshot();
      expect(await p.ids("", p.grocer)).toEqual([active.id]);
      expect(await p.ids("?status=draft", p.grocer)).toEqual([]);
      expect(await p.ids("?status=active&trigger=earn", p.grocer)).toEqual([active.id]);
      expect(expectBody(await p.get(active.id, p.grocer), op.getPromotion, 200)).toEqual(
        expectBody(await p.get(active.id), op.getPromotion, 200),
      );
      for (const hidden of [draft, paused, ended]) {
        expectProblem(await p.get(hidden.id, p.grocer), 404, "not_found", hidden.status);
        expectProblem(await p.patch(hidden.id, { description: "x" }, p.grocer), 404, "not_found", hidden.status);
      }
      expectProblem(await p.patch(active.id, { description: "x" }, p.grocer), 403, "forbidden");
      expectProblem(await p.create(earnDefinition, p.grocer), 403, "forbidden");
      // Reading needs members:read or programs:manage; the owner's read-only token sees every status.
      const readOnly = await gw.token(p.owner, "members:read");
      const all = await gw.call("GET", `/v1/programs/${p.programId}/promotions`, { token: readOnly });
      expect(expectBody(all, op.listPromotions, 200).data).toHaveLength(4);
      const earnOnly = await gw.token(p.grocer, "points:earn");
      expectProblem(await gw.call("GET", `/v1/promotions/${active.id}`, { token: earnOnly }), 403, "forbidden");
      expect(await p.snapshot()).toEqual(before);
    });

    it("lets the operator do all of it", async () => {
      const p = await promotedProgram(gw, target);
      const created = expectBody(await p.create(earnDefinition, gw.operator), op.createPromotion, 201);
      expect(expectBody(await p.get(created.id, gw.operator), op.getPromotion, 200)).toEqual(created);
      expect(await p.ids("", gw.operator)).toEqual([created.id]);
      const patched = await p.patch(created.id, { status: "active" }, gw.operator);
      expect(expectBody(patched, op.updatePromotion, 200).status).toBe("active");
    });
  });

  describe("campaigns", () => {
    const campaignBody = {
      name: "Summer reactivation",
      type: "reactivation",
      owner: "CRM team",
      status: "planned",
      planned_start: "2026-06-01T00:00:00Z",
      planned_end: "2026-08-31T00:00:00Z",
      expected_response_pct: 12.5,
      estimated_revenue_minor: 2_500_000,
      notes: "Email first, then push",
    };

    it("creates a campaign with its segments in order, reads, lists and changes it", async () => {
      const p = await promotedProgram(gw, target);
      const second = expectBody(
        await gw.call("POST", `/v1/programs/${p.programId}/segments`, {
          as: p.owner,
          body: { name: "Gold", type: "dynamic", rule: { field: "tier", op: "eq", value: "gold" } },
        }),
        op.createSegment,
        201,
      );
      const path = `/v1/programs/${p.programId}/campaigns`;
      const answer = await gw.call("POST", path, {
        as: p.owner,
        body: { ...campaignBody, segment_ids: [second.id, p.list.id] },
      });
      const campaign = expectBody(answer, op.createCampaign, 201);
      expect(campaign).toEqual({
        id: expect.stringMatching(/^cmp_/),
        program_id: p.programId,
        name: "Summer reactivation",
        type: "reactivation",
        owner: "CRM team",
        status: "planned",
        planned_start: "2026-06-01T00:00:00.000Z",
        planned_end: "2026-08-31T00:00:00.000Z",
        actual_start: null,
        actual_end: null,
        expected_response_pct: 12.5,
        estimated_revenue_minor: 2_500_000,
        segments: [
          { id: second.id, name: "Gold", member_count: 0 },
          { id: p.list.id, name: "Lapsed flyers", member_count: 1 },
        ],
        segment_ids: [second.id, p.list.id],
        notes: "Email first, then push",
        created_at: now(),
        updated_at: now(),
      });
      const get = (id: string) => gw.call("GET", `/v1/campaigns/${id}`, { as: p.owner });
      expect(expectBody(await get(campaign.id), op.getCampaign, 200)).toEqual(campaign);
      const listed = expectBody(await gw.call("GET", `${path}?limit=1`, { as: p.owner }), op.listCampaigns, 200);
      expect([listed.data, listed.has_more]).toEqual([[campaign], true]);
      const older = expectBody(
        await gw.call("GET", `${path}?starting_after=${campaign.id}`, { as: p.owner }),
        op.listCampaigns,
        200,
      );
      expect(older.data.map((c) => c.id)).toEqual([p.campaign.id]);
      target.clock.advance(1_000);
      const patch = (id: string, body: unknown) => gw.call("PATCH", `/v1/campaigns/${id}`, { as: p.owner, body });
      const changed = expectBody(
        await patch(campaign.id, {
          status: "active",
          actual_start: "2026-06-03T09:00:00Z",
          segment_ids: [p.list.id],
          notes: null,
        }),
        op.updateCampaign,
        200,
      );
      expect(changed).toEqual({
        ...campaign,
        status: "active",
        actual_start: "2026-06-03T09:00:00.000Z",
        segments: [{ id: p.list.id, name: "Lapsed flyers", member_count: 1 }],
        segment_ids: [p.list.id],
        notes: null,
        updated_at: now(),
      });
      // A segment a campaign targets is not deleted from under it.
      const remove = (id: string) => gw.call("DELETE", `/v1/segments/${id}`, { as: p.owner });
      const refused = expectProblem(await remove(p.list.id), 409, "conflict");
      expect(refused.detail).toContain(campaign.id);
      const emptied = expectBody(await patch(campaign.id, { segment_ids: [] }), op.updateCampaign, 200);
      expect([emptied.segments, emptied.segment_ids]).toEqual([[], []]);
      expectBody(await remove(second.id), op.deleteSegment, 200);
      // Its promotions are listed by campaign_id.
      const promotion = await p.created({ campaign_id: campaign.id });
      expect(await p.ids(`?campaign_id=${campaign.id}`)).toEqual([promotion.id]);
    });

    it("refuses an end before its start and segments not of the program at their paths, writing nothing", async () => {
      const p = await promotedProgram(gw, target);
      const path = `/v1/programs/${p.programId}/campaigns`;
      const list = async () =>
        expectBody(await gw.call("GET", `${path}?limit=100`, { as: p.owner }), op.listCampaigns, 200).data;
      const before = await list();
      const refusals: [Record<string, unknown>, string[]][] = [
        [{ planned_end: "2026-05-31T00:00:00Z" }, ["planned_end"]],
        [{ actual_start: "2026-06-02T00:00:00Z", actual_end: "2026-06-01T00:00:00Z" }, ["actual_end"]],
        [{ segment_ids: [p.list.id, "seg_nope"] }, ["segment_ids[1]"]],
        [{ segment_ids: [p.strangerSegment.id] }, ["segment_ids[0]"]],
        [{ segment_ids: [p.list.id, p.list.id] }, ["segment_ids[1]"]],
        [{ segment_ids: [""] }, ["segment_ids[0]"]],
        [{ expected_response_pct: 100.5 }, ["expected_response_pct"]],
        [{ status: "done" }, ["status"]],
        [{ name: "" }, ["name"]],
      ];
      for (const [changes, paths] of refusals) {
        const created = await gw.call("POST", path, { as: p.owner, body: { ...campaignBody, ...changes } });
        expectProblem(created, 400, "validation_failed", JSON.stringify(changes));
        expect.soft(problemPaths(created), JSON.stringify(changes)).toEqual(paths);
        const patched = await gw.call("PATCH", `/v1/campaigns/${p.campaign.id}`, {
          as: p.owner,
          body: { ...campaignBody, ...changes },
        });
        expect.soft(problemPaths(patched), `PATCH ${JSON.stringify(changes)}`).toEqual(paths);
      }
      // Checked as it will be: an end before the start it keeps.
      await gw.call("PATCH", `/v1/campaigns/${p.campaign.id}`, {
        as: p.owner,
        body: { planned_start: "2026-06-01T00:00:00Z" },
      });
      const before2 = await list();
      const early = await gw.call("PATCH", `/v1/campaigns/${p.campaign.id}`, {
        as: p.owner,
        body: { planned_end: "2026-01-01T00:00:00Z" },
      });
      expect(problemPaths(early)).toEqual(["planned_end"]);
      expect(await list()).toEqual(before2);
      expect(before2.length).toBe(before.length);
    });

    it("is the owner's and the operator's: 403 to a partner with an agreement, 404 to any other", async () => {
      const p = await promotedProgram(gw, target);
      const path = `/v1/programs/${p.programId}/campaigns`;
      const calls = (as: Credential) => [
        gw.call("POST", path, { as, body: campaignBody }),
        gw.call("GET", path, { as }),
        gw.call("GET", `/v1/campaigns/${p.campaign.id}`, { as }),
        gw.call("PATCH", `/v1/campaigns/${p.campaign.id}`, { as, body: { notes: "x" } }),
      ];
      for (const answer of await Promise.all(calls(p.grocer))) expectProblem(answer, 403, "forbidden");
      for (const answer of await Promise.all(calls(p.stranger.owner))) expectProblem(answer, 404, "not_found");
      expect((await Promise.all(calls(gw.operator))).map((answer) => answer.status)).toEqual([201, 200, 200, 200]);
    });
  });
}
