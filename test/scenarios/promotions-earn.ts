import { afterEach, describe, expect, it } from "vitest";
import { controlBucket } from "../../gateway/src/domain/promotions/control-group";
import { newKey, setupProgram, unique } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";
import { dayMs, tieredProgram } from "./tier-fixtures";

type Program = Awaited<ReturnType<typeof setupProgram>>;
type Standing = {
  external_id: string;
  group: string;
  points_awarded: number;
  awards: number;
  challenge_earns: number;
  challenge_spend_minor: number;
  once_awarded: number;
  completed_at: number | null;
};

/**
 * Helpers over a program for the earn scenarios: promotions made through the API (active from a day before the
 * clock unless told), earns by purchase, and what the write left (a promotion's budget, its members' rows, bonuses
 * and events).
 */
function promotionsOf(gw: Gateway, program: Program) {
  const { owner, programId } = program;
  const promote = async (definition: Record<string, unknown>) =>
    expectBody(
      await gw.call("POST", `/v1/programs/${programId}/promotions`, {
        as: owner,
        body: {
          name: unique("Promotion"),
          status: "active",
          starts_at: new Date(gw.clock.now().getTime() - dayMs).toISOString(),
          trigger: "earn",
          ...definition,
        },
      }),
      op.createPromotion,
      201,
    );
  /** Earns for a purchase in USD (1 point per 100 minor units at the owner's agreement); answers as answered. */
  const buy = (externalId: string, amountMinor: number, key = newKey(), reference = unique("order")) =>
    gw.call("POST", "/v1/transactions/earn", {
      as: owner,
      headers: { "Idempotency-Key": key },
      body: {
        program_id: programId,
        external_id: externalId,
        purchase: { amount_minor: amountMinor, currency: "USD" },
        reference,
      },
    });
  const bought = async (externalId: string, amountMinor: number) =>
    expectBody(await buy(externalId, amountMinor), op.earnPoints, 201);
  const budget = async (promotionId: string) =>
    expectBody(await gw.call("GET", `/v1/promotions/${promotionId}`, { as: owner }), op.getPromotion, 200).budget;
  const standings = (promotionId: string) =>
    gw.rows<Standing>(
      `select m.external_id, pm."group", pm.points_awarded, pm.awards, pm.challenge_earns, pm.challenge_spend_minor,
              pm.once_awarded, pm.completed_at
       from promotion_members pm join members m on m.id = pm.member_id where pm.promotion_id = ? order by m.external_id`,
      promotionId,
    );
  /** The promotion's bonus transactions, oldest first, with whom they paid and what reversals took back. */
  const awards = (promotionId: string) =>
    gw.rows<{ external_id: string; points: number; reversed_points: number; parent_transaction_id: string }>(
      `select m.external_id, t.points, t.reversed_points, t.parent_transaction_id
       from ledger_transactions t join members m on m.id = t.member_id
       where t.type = 'bonus' and t.bonus_source = 'promotion' and t.bonus_source_id = ? order by t.rowid`,
      promotionId,
    );
  const exhaustedEvents = async (promotionId: string) =>
    (
      await gw.rows<{ partner_id: string; payload: string }>(
        `select partner_id, payload from events where type = 'promotion.budget_exhausted'
         and json_extract(payload, '$.data.promotion_id') = ?`,
        promotionId,
      )
    ).map((row) => ({ partner_id: row.partner_id, data: JSON.parse(row.payload).data }));
  /** A new member whose control-group bucket in the promotion is below `bps` (`held`) or not. */
  const enrolIn = async (promotionId: string, bps: number, held: boolean) => {
    for (let tries = 0; tries < 200; tries++) {
      const member = await program.enrol();
      if (controlBucket(promotionId, member.id) < bps === held) return member;
    }
    throw new Error("no member in the group asked for in 200 tries");
  };
  return { promote, buy, bought, budget, standings, awards, exhaustedEvents, enrolIn };
}

/** The UTC midnight of the `n`th Sunday of a month (0-based month). */
function nthSunday(year: number, month: number, n: number): Date {
  const first = new Date(Date.UTC(year, month, 1));
  return new Date(Date.UTC(year, month, 1 + ((7 - first.getUTCDay()) % 7) + (n - 1) * 7));
}

/** New York's next spring-forward day (second Sunday of March) after `now`, and the fall-back day after it. */
function nextDstChanges(now: Date): { spring: Date; fall: Date } {
  let year = now.getUTCFullYear();
  while (nthSunday(year, 2, 2) <= now) year++;
  return { spring: nthSunday(year, 2, 2), fall: nthSunday(year, 10, 1) };
}

/** That day at `time` UTC. */
const at = (day: Date, time: string) => new Date(`${day.toISOString().slice(0, 10)}T${time}:00Z`);

/** Issue 18: promotions applied inside the earn's atomic write. */
export function promotionEarnScenarios(target: Target) {
  const gw = connect(target);
  const program = async () => {
    const made = await setupProgram(gw);
    return { ...made, ...promotionsOf(gw, made) };
  };

  describe("promotions on earns", () => {
    afterEach(async () => {
      await expectLedgerInvariants(target.rows);
    });

    it("pays each reward type as the contract computes it, stacked, in the earn's response and balance", async () => {
      const p = await program();
      const times = await p.promote({ reward: { multiplier_bps: 15_000 } });
      const fixed = await p.promote({ reward: { bonus_points: 40 }, priority: 1 });
      const perAmount = await p.promote({ reward: { points_per_amount: { points: 3, per_amount_minor: 100 } } });
      const { externalId } = await p.enrol();
      // 12,345 minor units earn 123 points: x1.5 adds 61, the fixed 40, 3 per 100 units 370.
      const earned = await p.bought(externalId, 12_345);
      expect(earned.points).toBe(123);
      expect(earned.bonuses).toEqual([
        { transaction_id: expect.any(String), source: "promotion", source_id: fixed.id, points: 40 },
        { transaction_id: expect.any(String), source: "promotion", source_id: times.id, points: 61 },
        { transaction_id: expect.any(String), source: "promotion", source_id: perAmount.id, points: 370 },
      ]);
      expect(earned).toMatchObject({ bonus_points: 471, balance_after: 594 });
      // A points-only earn: nothing per amount.
      const points = await p.earn(externalId, 200);
      expect(points.bonuses.map((line) => [line.source_id, line.points])).toEqual([
        [fixed.id, 40],
        [times.id, 100],
      ]);
      expect(points).toMatchObject({ bonus_points: 140, balance_after: 934 });
      expect(await p.budget(times.id)).toMatchObject({ used: 161 });
      expect(await p.standings(perAmount.id)).toMatchObject([{ points_awarded: 370, awards: 1, group: "treatment" }]);
    });

    it("lets the exclusive promotion of highest priority pay alone", async () => {
      const p = await program();
      await p.promote({ reward: { bonus_points: 1 }, priority: 100 });
      await p.promote({ reward: { bonus_points: 2 }, stacking: "exclusive", priority: 5 });
      const top = await p.promote({ reward: { bonus_points: 3 }, stacking: "exclusive", priority: 7 });
      const { externalId } = await p.enrol();
      const earned = await p.earn(externalId, 10);
      expect(earned.bonuses.map((line) => [line.source_id, line.points])).toEqual([[top.id, 3]]);
    });

    it("targets a tier as held before the earn, and segments as the member is in them now", async () => {
      const tiered = await tieredProgram(gw);
      const p = { ...tiered, ...promotionsOf(gw, tiered) };
      const silver = await p.promote({ reward: { bonus_points: 7 }, audience: { tiers: ["silver"] } });
      const { externalId } = await p.enrol();
      // Blue before this earn, though it reaches Silver: no promotion; the next earn is Silver's.
      expect((await p.earn(externalId, 1_000)).bonuses.map((line) => line.source)).toEqual(["tier_upgrade"]);
      expect((await p.earn(externalId, 4)).bonuses).toMatchObject([
        { source: "tier", points: 1 },
        { source_id: silver.id, points: 7 },
      ]);

      const plain = await program();
      const list = expectBody(
        await gw.call("POST", `/v1/programs/${plain.programId}/segments`, {
          as: plain.owner,
          body: { name: "VIP list", type: "static" },
        }),
        op.createSegment,
        201,
      );
      const big = expectBody(
        await gw.call("POST", `/v1/programs/${plain.programId}/segments`, {
          as: plain.owner,
          body: { name: "Big earners", type: "dynamic", rule: { field: "lifetime_earned", op: "gte", value: 500 } },
        }),
        op.createSegment,
        201,
      );
      const vip = await plain.promote({ reward: { bonus_points: 11 }, audience: { segments: [list.id] } });
      const earners = await plain.promote({ reward: { bonus_points: 13 }, audience: { segments: [big.id] } });
      const listed = await plain.enrol();
      const other = await plain.enrol();
      expectBody(
        await gw.call("POST", `/v1/segments/${list.id}/members`, {
          as: plain.owner,
          body: { external_ids: [listed.externalId] },
        }),
        op.addSegmentMembers,
        200,
      );
      expect((await plain.earn(listed.externalId, 10)).bonuses.map((line) => line.source_id)).toEqual([vip.id]);
      // Not in the list; and the rule reads lifetime_earned before this earn (0), then after it (600).
      expect((await plain.earn(other.externalId, 600)).bonuses).toEqual([]);
      expect((await plain.earn(other.externalId, 1)).bonuses.map((line) => line.source_id)).toEqual([earners.id]);
    });

    it("applies a schedule in the program's zone by the wall clock, across both DST changes", async () => {
      const p = await program();
      expectBody(
        await gw.call("PATCH", `/v1/programs/${p.programId}`, { as: p.owner, body: { timezone: "America/New_York" } }),
        op.updateProgram,
        200,
      );
      const { externalId } = await p.enrol();
      const night = await p.promote({
        reward: { bonus_points: 5 },
        schedule: { days_of_week: [7], from_time: "01:00", to_time: "02:00" },
      });
      const before = target.clock.now();
      const paidAt = async (at: Date) => {
        target.clock.set(at);
        return (await p.earn(externalId, 1)).bonuses.map((line) => line.source_id);
      };
      const { spring, fall } = nextDstChanges(before);
      try {
        // Springing forward at 02:00 EST (07:00Z): 01:59 EST is in, the next minute is 03:00 EDT.
        expect(await paidAt(at(spring, "06:59"))).toEqual([night.id]);
        expect(await paidAt(at(spring, "07:00"))).toEqual([]);
        // Falling back at 02:00 EDT (06:00Z): 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        expect(await paidAt(at(fall, "05:30"))).toEqual([night.id]);
        expect(await paidAt(at(fall, "06:30"))).toEqual([night.id]);
        expect(await paidAt(at(fall, "07:00"))).toEqual([]);
        // Sunday 01:30 in UTC is Saturday evening in New York.
        expect(await paidAt(new Date(at(fall, "01:30").getTime() + 7 * dayMs))).toEqual([]);
      } finally {
        target.clock.set(before);
      }
    });

    it("answers a replay with exactly the first body and awards nothing twice", async () => {
      const p = await program();
      const promotion = await p.promote({ reward: { multiplier_bps: 20_000 }, limits: { budget_points: 1_000 } });
      const { externalId } = await p.enrol();
      const key = newKey();
      const first = await p.buy(externalId, 50_000, key, "order-1");
      const again = await p.buy(externalId, 50_000, key, "order-1");
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.text).toBe(first.text);
      expect(expectBody(first, op.earnPoints, 201)).toMatchObject({ bonus_points: 500, balance_after: 1_000 });
      expect(await p.budget(promotion.id)).toMatchObject({ used: 500, remaining: 500 });
      expect(await p.awards(promotion.id)).toHaveLength(1);
    });

    it("takes promotion bonuses back in proportion with the earn, and keeps the budget spent", async () => {
      const p = await program();
      const promotion = await p.promote({ reward: { multiplier_bps: 30_000 }, limits: { budget_points: 10_000 } });
      const { externalId } = await p.enrol();
      const earned = await p.earn(externalId, 1_001);
      expect(earned.bonus_points).toBe(2_002);
      const part = expectBody(await p.reverse(earned.id, { points: 500 }), op.reverseTransaction, 201);
      expect(part).toMatchObject({ bonus_points: 1_000, bonuses: [{ source: "promotion", source_id: promotion.id }] });
      const rest = expectBody(await p.reverse(earned.id), op.reverseTransaction, 201);
      expect(rest).toMatchObject({ bonus_points: 1_002, balance_after: 0 });
      expect(await p.awards(promotion.id)).toMatchObject([{ points: 2_002, reversed_points: 2_002 }]);
      expect(await p.budget(promotion.id)).toMatchObject({ used: 2_002 });
    });

    it("ends exactly at the budget under 200 parallel earns, sending promotion.budget_exhausted once", async () => {
      const p = await program();
      const promotion = await p.promote({ reward: { bonus_points: 7 }, limits: { budget_points: 500 } });
      const members = await Promise.all(Array.from({ length: 20 }, () => p.enrol()));
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => p.move("earn", members[i % 20]?.externalId ?? "", 3)),
      );
      expect(tally(answers)).toEqual({ 201: 200 });
      const awarded = await p.awards(promotion.id);
      expect(awarded.reduce((sum, award) => sum + award.points, 0)).toBe(500);
      // 71 awards of 7 make 497; the 72nd is cut to the 3 left.
      expect(awarded.map((award) => award.points).sort((a, b) => a - b)[0]).toBe(3);
      expect(awarded).toHaveLength(72);
      const budget = await p.budget(promotion.id);
      expect(budget).toMatchObject({ points: 500, used: 500, remaining: 0, exhausted_at: expect.any(String) });
      expect(await p.exhaustedEvents(promotion.id)).toEqual([
        {
          partner_id: p.owner.id,
          data: { program_id: p.programId, promotion_id: promotion.id, budget_points: 500, points_awarded: 500 },
        },
      ]);
      // Every member that earned is exposed, paid or not.
      expect(await p.standings(promotion.id)).toHaveLength(20);
    });

    it("holds the member limits under concurrent earns of one member", async () => {
      const p = await program();
      const byPoints = await p.promote({ reward: { bonus_points: 30 }, limits: { max_points_per_member: 100 } });
      const byAwards = await p.promote({ reward: { bonus_points: 10 }, limits: { max_awards_per_member: 3 } });
      const { externalId } = await p.enrol();
      const answers = await Promise.all(Array.from({ length: 20 }, () => p.move("earn", externalId, 1)));
      expect(tally(answers)).toEqual({ 201: 20 });
      expect(await p.standings(byPoints.id)).toMatchObject([{ points_awarded: 100, awards: 4 }]);
      expect((await p.awards(byPoints.id)).map((award) => award.points).sort((a, b) => a - b)).toEqual([
        10, 30, 30, 30,
      ]);
      expect(await p.standings(byAwards.id)).toMatchObject([{ points_awarded: 30, awards: 3 }]);
      expect(await p.balance(externalId)).toMatchObject({ available: 20 + 100 + 30 });
    });

    it("pays held-out members nothing and records them as exposures in the control group", async () => {
      const p = await program();
      const split = await p.promote({ reward: { bonus_points: 25 }, control_group_bps: 5_000 });
      const held = await p.enrolIn(split.id, 5_000, true);
      const treated = await p.enrolIn(split.id, 5_000, false);
      expect((await p.earn(held.externalId, 10)).bonuses).toEqual([]);
      expect((await p.earn(held.externalId, 10)).bonuses).toEqual([]);
      expect((await p.earn(treated.externalId, 10)).bonus_points).toBe(25);
      const rows = await p.standings(split.id);
      expect(rows.map(({ external_id, group, points_awarded }) => ({ external_id, group, points_awarded }))).toEqual(
        [
          { external_id: held.externalId, group: "control", points_awarded: 0 },
          { external_id: treated.externalId, group: "treatment", points_awarded: 25 },
        ].sort((a, b) => (a.external_id < b.external_id ? -1 : 1)),
      );
    });

    it("awards a challenge once when concurrent earns reach it", async () => {
      const p = await program();
      const challenge = await p.promote({
        trigger: "challenge",
        challenge: { earns: 3 },
        reward: { bonus_points: 500 },
      });
      const { externalId } = await p.enrol();
      const answers = await Promise.all(Array.from({ length: 10 }, () => p.buy(externalId, 1_000)));
      expect(tally(answers)).toEqual({ 201: 10 });
      expect(await p.awards(challenge.id)).toMatchObject([{ points: 500 }]);
      expect(await p.standings(challenge.id)).toMatchObject([
        { challenge_earns: 10, challenge_spend_minor: 10_000, once_awarded: 1, completed_at: expect.any(Number) },
      ]);
    });

    it("pays a referral once to both members on the referred member's first earn", async () => {
      const p = await program();
      const referral = await p.promote({ trigger: "referral", reward: { bonus_points: 250 } });
      const referrer = await p.enrol();
      const referredId = unique("R");
      expectBody(
        await gw.call("POST", `/v1/programs/${p.programId}/members`, {
          as: p.owner,
          body: { external_id: referredId, referred_by_external_id: referrer.externalId },
        }),
        op.enrolMember,
        201,
      );
      const answers = await Promise.all(Array.from({ length: 5 }, () => p.move("earn", referredId, 10)));
      expect(tally(answers)).toEqual({ 201: 5 });
      const paying = answers
        .map((answer) => expectBody(answer, op.earnPoints, 201))
        .filter((earned) => earned.bonus_points > 0);
      expect(paying).toHaveLength(1);
      // The answer is the referred member's: its own bonus, counted in its balance_after; the referrer's is the referrer's.
      expect(paying[0]?.bonuses).toEqual([
        { transaction_id: expect.any(String), source: "promotion", source_id: referral.id, points: 250 },
      ]);
      expect(paying[0]).toMatchObject({ bonus_points: 250, balance_after: 260 });
      expect(await p.balance(referrer.externalId)).toMatchObject({ available: 250 });
      expect(await p.balance(referredId)).toMatchObject({ available: 300 });
      expect((await p.earn(referredId, 10)).bonuses).toEqual([]);
      // Reversing the first earn takes back the referred member's bonus, not the referrer's.
      const reversal = expectBody(await p.reverse(paying[0]?.id ?? ""), op.reverseTransaction, 201);
      expect(reversal).toMatchObject({ bonus_points: 250, bonuses: [{ points: 250 }] });
      expect(await p.balance(referrer.externalId)).toMatchObject({ available: 250 });
      expect(await p.budget(referral.id)).toMatchObject({ used: 500 });
    });

    it("pays an erased referrer nothing, while the member it referred keeps its own share", async () => {
      const p = await program();
      const referral = await p.promote({ trigger: "referral", reward: { bonus_points: 250 } });
      const referrer = await p.enrol();
      const referredId = unique("R");
      const enrolReferred = (externalId: string) =>
        gw.call("POST", `/v1/programs/${p.programId}/members`, {
          as: p.owner,
          body: { external_id: externalId, referred_by_external_id: referrer.externalId },
        });
      expectBody(await enrolReferred(referredId), op.enrolMember, 201);
      const referrerPath = `/v1/programs/${p.programId}/members/${referrer.externalId}`;
      expectBody(await gw.call("POST", `${referrerPath}/erase`, { as: p.owner }), op.eraseMember, 200);
      const earned = await p.earn(referredId, 10);
      expect(earned).toMatchObject({ bonus_points: 250, balance_after: 260 });
      expect(await p.balance(referrer.externalId)).toMatchObject({ available: 0 });
      expect(await p.budget(referral.id)).toMatchObject({ used: 250 });
      // Nor can an erased member refer anyone new.
      const refused = expectProblem(await enrolReferred(unique("R")), 400, "validation_failed");
      expect(refused.errors).toEqual([{ path: "referred_by_external_id", message: "is an erased member" }]);
    });

    it("leaves a program without promotions reading and writing as before", async () => {
      const p = await program();
      const { externalId } = await p.enrol();
      const earned = await p.earn(externalId, 10);
      expect(earned).toMatchObject({ bonus_points: 0, bonuses: [], balance_after: 10 });
      const rows = await gw.rows(
        "select 1 from promotion_members pm join members m on m.id = pm.member_id where m.external_id = ?",
        externalId,
      );
      expect(rows).toEqual([]);
    });
  });
}
