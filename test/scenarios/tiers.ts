import { afterEach, describe, expect, it } from "vitest";
import { setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";
import { dayMs, later, silverAt, table, tieredProgram as tieredProgramOf } from "./tier-fixtures";

/** Issue 16, items 6-7: tiers and bonuses. */
export function tierScenarios(target: Target) {
  const gw = connect(target);

  const tieredProgram = (tiers: unknown = table) => tieredProgramOf(gw, tiers);

  describe("tiers", () => {
    it("places a new member in the entry tier and moves it up in the earn that crosses a minimum", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      expect(await program.tierOf(externalId)).toMatchObject({
        key: "blue",
        progress: { next_tier_key: "silver", points_needed: 1000, purchases_needed: 5, spend_minor_needed: null },
      });
      const first = await program.earn(externalId, 999);
      expect(first).toMatchObject({ bonus_points: 0, bonuses: [], balance_after: 999 });
      const crossing = await program.earn(externalId, 1);
      // The accrual bonus is the tier held before the earn (Blue: none); the upgrade bonus is Silver's.
      expect(crossing.bonuses).toEqual([
        { transaction_id: expect.any(String), source: "tier_upgrade", source_id: "silver", points: 100 },
      ]);
      expect(crossing).toMatchObject({ bonus_points: 100, balance_after: 1100 });
      const tier = await program.tierOf(externalId);
      expect(tier).toMatchObject({ key: "silver", progress: { next_tier_key: "gold", points_needed: 4000 } });
      expect(new Date(tier?.held_until ?? 0).getTime() - new Date(tier?.since ?? 0).getTime()).toBe(30 * dayMs);
      // Now Silver: 25% accrual.
      const next = await program.earn(externalId, 10);
      expect(next).toMatchObject({ bonus_points: 2, balance_after: 1112 });
      expect(next.bonuses).toMatchObject([{ source: "tier", source_id: "silver", points: 2 }]);
      await expectLedgerInvariants(target.rows);
    });

    it("pays exactly one upgrade bonus when 50 earns cross the minimum at once", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      await program.earn(externalId, 990);
      const answers = await Promise.all(Array.from({ length: 50 }, () => program.move("earn", externalId, 10)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
      const upgrades = await target.rows(
        "select count(*) as n from ledger_transactions t join members m on m.id = t.member_id where m.external_id = ? and t.bonus_source = 'tier_upgrade'",
        externalId,
      );
      expect(upgrades[0]?.n).toBe(1);
      expect((await program.tierOf(externalId))?.key).toBe("silver");
      await expectLedgerInvariants(target.rows);
    });

    it("takes accrual bonuses back in proportion when an earn is reversed, and keeps the upgrade bonus", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      await program.earn(externalId, 1000); // Silver, +100 upgrade bonus
      const earn = await program.earn(externalId, 101); // +25 accrual
      expect(earn.bonus_points).toBe(25);
      const part = expectBody(await program.reverse(earn.id, { points: 50 }), op.reverseTransaction, 201);
      expect(part).toMatchObject({ bonus_points: 12, bonuses: [{ source: "tier", source_id: "silver", points: 12 }] });
      const rest = expectBody(await program.reverse(earn.id), op.reverseTransaction, 201);
      expect(rest).toMatchObject({ bonus_points: 13, balance_after: 1100 });
      await expectLedgerInvariants(target.rows);
    });

    it("holds a tier for the window, then the daily re-evaluation moves the member down", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      await program.earn(externalId, 1000);
      expect((await program.tierOf(externalId))?.key).toBe("silver");
      target.clock.advance(30 * dayMs - 1000);
      await target.runJobs();
      expect((await program.tierOf(externalId))?.key).toBe("silver");
      target.clock.advance(2000);
      await target.runJobs();
      expect((await program.tierOf(externalId))?.key).toBe("blue");
      await target.runJobs();
      expect((await program.tierOf(externalId))?.key).toBe("blue");
    });

    it("refuses a table whose first tier has a minimum, a later one without, or a key twice, and changes nothing", async () => {
      const program = await setupProgram(gw);
      const answer = await gw.call("PUT", `/v1/programs/${program.programId}/tiers`, {
        as: program.owner,
        body: {
          tiers: [
            { key: "a", name: "A", min_points: 5 },
            { key: "b", name: "B" },
            { key: "b", name: "B2", min_points: 10 },
          ],
        },
      });
      const problem = expectProblem(answer, 400, "validation_failed");
      expect(problem.errors?.map((error) => error.path)).toEqual(["tiers[0]", "tiers[1]", "tiers[2].key"]);
      const now = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/tiers`, { as: program.owner }),
        op.getTiers,
        200,
      );
      expect(now.tiers).toEqual([]);
    });

    it("sets a manual tier with held_until, without an upgrade bonus", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      const until = new Date(target.clock.now().getTime() + 10 * dayMs).toISOString();
      const set = await gw.call("POST", `/v1/programs/${program.programId}/members/${externalId}/tier`, {
        as: program.owner,
        body: { tier_key: "gold", held_until: until, reason: "status match" },
      });
      const member = expectBody(set, op.setMemberTier, 200);
      expect(member.tier).toMatchObject({ key: "gold", held_until: until });
      expect(member.balance.available).toBe(0);
      const earn = await program.earn(externalId, 100);
      expect(earn).toMatchObject({ bonus_points: 50 });
      target.clock.advance(10 * dayMs + 1);
      await target.runJobs();
      expect((await program.tierOf(externalId))?.key).toBe("blue");
      const unknown = await gw.call("POST", `/v1/programs/${program.programId}/members/${externalId}/tier`, {
        as: program.owner,
        body: { tier_key: "diamond", reason: "x" },
      });
      expect(expectProblem(unknown, 400, "validation_failed").errors?.[0]?.path).toBe("tier_key");
    });
  });

  describe("tier qualification, known answers", () => {
    // Every scenario here moves points: the ledger must still balance after it.
    afterEach(() => expectLedgerInvariants(target.rows));

    it("qualifies by points alone, counting every earn's points", async () => {
      const program = await tieredProgram(silverAt({ min_points: 1000 }));
      const { externalId } = await program.enrol();
      await program.earn(externalId, 600);
      await program.purchase(externalId, 39_900); // 399 points
      expect(await program.tierOf(externalId)).toMatchObject({
        key: "blue",
        held_until: null,
        progress: { next_tier_key: "silver", points_needed: 1, purchases_needed: null, spend_minor_needed: null },
      });
      const crossing = await program.earn(externalId, 1);
      expect(crossing).toMatchObject({ bonus_points: 100, balance_after: 1100 });
      expect(crossing.bonuses).toMatchObject([{ source: "tier_upgrade", source_id: "silver", points: 100 }]);
      expect(await program.tierOf(externalId)).toMatchObject({ key: "silver", progress: null });
    });

    it("qualifies by purchases alone: the number of earns, whatever their points", async () => {
      const program = await tieredProgram(silverAt({ min_purchases: 3 }));
      const { externalId } = await program.enrol();
      await program.earn(externalId, 1);
      await program.earn(externalId, 1);
      expect((await program.tierOf(externalId))?.progress).toEqual({
        next_tier_key: "silver",
        points_needed: null,
        purchases_needed: 1,
        spend_minor_needed: null,
      });
      const third = await program.earn(externalId, 1);
      expect(third).toMatchObject({ points: 1, bonus_points: 100, balance_after: 103 });
      expect((await program.tierOf(externalId))?.key).toBe("silver");
    });

    it("qualifies by spend alone: purchase amounts count, net of reversals, and points without a purchase do not", async () => {
      const program = await tieredProgram(silverAt({ min_spend_minor: 50_000 }));
      const { externalId } = await program.enrol();
      await program.earn(externalId, 10_000);
      expect((await program.tierOf(externalId))?.progress).toMatchObject({ spend_minor_needed: 50_000 });
      const bought = await program.purchase(externalId, 49_999);
      expect(bought).toMatchObject({ points: 499, bonus_points: 0 });
      expect(await program.tierOf(externalId)).toMatchObject({
        key: "blue",
        progress: { next_tier_key: "silver", points_needed: null, purchases_needed: null, spend_minor_needed: 1 },
      });
      // A purchase partly reversed counts its amount in proportion, rounded down: 49,999 x 399 / 499 = 39,979.
      expectBody(await program.reverse(bought.id, { points: 100 }), op.reverseTransaction, 201);
      expect((await program.tierOf(externalId))?.progress?.spend_minor_needed).toBe(10_021);
      const crossing = await program.purchase(externalId, 10_021);
      expect(crossing).toMatchObject({ points: 100, bonus_points: 100, balance_after: 10_599 });
      expect((await program.tierOf(externalId))?.key).toBe("silver");
    });

    it("qualifies by any one minimum: five purchases reach Silver with 5 of its 1,000 points", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      for (let n = 0; n < 4; n++) await program.earn(externalId, 1);
      expect((await program.tierOf(externalId))?.progress).toEqual({
        next_tier_key: "silver",
        points_needed: 996,
        purchases_needed: 1,
        spend_minor_needed: null,
      });
      const fifth = await program.earn(externalId, 1);
      expect(fifth).toMatchObject({ bonus_points: 100, balance_after: 105 });
      // Gold has only a points minimum: no purchases count towards it.
      expect(await program.tierOf(externalId)).toMatchObject({
        key: "silver",
        progress: { next_tier_key: "gold", points_needed: 4995, purchases_needed: null, spend_minor_needed: null },
      });
    });

    it("jumps from Blue to Gold in one earn, paying Gold's upgrade bonus only", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      const jump = await program.earn(externalId, 5000);
      expect(jump.bonuses).toEqual([
        { transaction_id: expect.any(String), source: "tier_upgrade", source_id: "gold", points: 500 },
      ]);
      expect(jump).toMatchObject({ bonus_points: 500, balance_after: 5500 });
      expect(await program.tierOf(externalId)).toMatchObject({ key: "gold", since: jump.created_at, progress: null });
      expect(await program.history(externalId)).toEqual([
        { from_key: "blue", to_key: "gold", reason: "qualified", note: null, actor: null },
      ]);
      expect(await program.bonusesOf(externalId)).toEqual([
        { source: "tier_upgrade", source_id: "gold", points: 500, reversed_points: 0 },
      ]);
    });

    it("counts an earn until one second before created_at + window, in progress and in the daily job", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      const first = await program.earn(externalId, 1000); // Silver, held for 30 days from now
      const heldUntil = later(first.created_at, 30 * dayMs).toISOString();
      expect((await program.tierOf(externalId))?.held_until).toBe(heldUntil);
      target.clock.advance(10 * dayMs);
      const second = await program.earn(externalId, 1000); // Still Silver: the hold does not move
      expect(second).toMatchObject({ bonus_points: 250 });
      const goldNeeds = async () => (await program.tierOf(externalId))?.progress?.points_needed;

      // The first earn's edge: it counts one second before, not at the edge nor after.
      target.clock.set(later(first.created_at, 30 * dayMs - 1000));
      expect(await goldNeeds()).toBe(3000);
      target.clock.set(later(first.created_at, 30 * dayMs));
      expect(await goldNeeds()).toBe(4000);
      target.clock.set(later(first.created_at, 30 * dayMs + 1000));
      expect(await goldNeeds()).toBe(4000);
      // The hold has ended, but the second earn still qualifies: the job leaves the member, hold and all.
      await target.runJobs();
      expect(await program.tierOf(externalId)).toMatchObject({ key: "silver", held_until: heldUntil });

      // The second earn's edge: still Silver one second before, Blue one second after.
      target.clock.set(later(second.created_at, 30 * dayMs - 1000));
      await target.runJobs();
      expect(await program.tierOf(externalId)).toMatchObject({ key: "silver", progress: { points_needed: 4000 } });
      target.clock.set(later(second.created_at, 30 * dayMs + 1000));
      expect(await goldNeeds()).toBe(5000);
      await target.runJobs();
      expect(await program.tierOf(externalId)).toMatchObject({
        key: "blue",
        held_until: null,
        progress: { next_tier_key: "silver", points_needed: 1000, purchases_needed: 5 },
      });
      expect((await program.history(externalId)).map((change) => [change.to_key, change.reason])).toEqual([
        ["silver", "qualified"],
        ["blue", "requalified"],
      ]);
    });

    it("keeps a tier held after a reversal lowers the activity, moves it down after the hold, and keeps the upgrade bonus", async () => {
      const program = await tieredProgram();
      const reversed = (await program.enrol()).externalId;
      const kept = (await program.enrol()).externalId;
      const first = await program.earn(reversed, 1000); // Silver, held 30 days
      await program.earn(kept, 1000);
      target.clock.advance(dayMs);
      const second = await program.earn(reversed, 1000);
      expect(second).toMatchObject({ bonus_points: 250, balance_after: 2350 });
      await program.earn(kept, 1000);
      target.clock.advance(dayMs);

      // Taking back all of the first earn and 1 point of the second leaves 999 points and 1 purchase.
      const whole = expectBody(await program.reverse(first.id), op.reverseTransaction, 201);
      expect(whole).toMatchObject({ points: 1000, bonus_points: 0, bonuses: [], balance_after: 1350 });
      const part = expectBody(await program.reverse(second.id, { points: 1 }), op.reverseTransaction, 201);
      expect(part).toMatchObject({ points: 1, bonus_points: 0, balance_after: 1349 }); // floor(250 * 1 / 1000) = 0
      expect(await program.tierOf(reversed)).toMatchObject({ key: "silver", progress: { points_needed: 4001 } });
      await target.runJobs();
      expect((await program.tierOf(reversed))?.key).toBe("silver");

      target.clock.set(later(first.created_at, 30 * dayMs - 1000));
      await target.runJobs();
      expect((await program.tierOf(reversed))?.key).toBe("silver");
      // The clock stood still between the two members' earns: one second after clears both holds.
      target.clock.set(later(first.created_at, 30 * dayMs + 1000));
      await target.runJobs();
      // Without the reversals the second earn alone still qualifies.
      expect((await program.tierOf(kept))?.key).toBe("silver");
      expect(await program.tierOf(reversed)).toMatchObject({ key: "blue", progress: { points_needed: 1 } });
      expect(await program.bonusesOf(reversed)).toEqual([
        { source: "tier_upgrade", source_id: "silver", points: 100, reversed_points: 0 },
        { source: "tier", source_id: "silver", points: 250, reversed_points: 0 },
      ]);
      expect((await program.balance(reversed)).available).toBe(1349);
      expect((await program.balance(kept)).available).toBe(2350);
    });

    it("pays each tier's upgrade bonus once per member ever, and accrues at the tier held before each earn", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      const silver = await program.earn(externalId, 1000);
      expect(silver.bonuses).toMatchObject([{ source: "tier_upgrade", source_id: "silver", points: 100 }]);
      // From Silver to Gold: Silver's 25% accrual on the earn, not Gold's 50%, and Gold's upgrade bonus.
      const gold = await program.earn(externalId, 4000);
      expect(gold.bonuses).toMatchObject([
        { source: "tier", source_id: "silver", points: 1000 },
        { source: "tier_upgrade", source_id: "gold", points: 500 },
      ]);
      expect(gold).toMatchObject({ bonus_points: 1500, balance_after: 6600 });
      expect(await program.earn(externalId, 100)).toMatchObject({
        bonus_points: 50,
        bonuses: [{ source: "tier", source_id: "gold", points: 50 }],
      });

      // Demoted to Blue once the hold and the window are over...
      target.clock.set(later(gold.created_at, 30 * dayMs + 1000));
      await target.runJobs();
      expect((await program.tierOf(externalId))?.key).toBe("blue");
      // ...then qualifying again: Blue's accrual (none), and no upgrade bonus for Silver or Gold a second time.
      const again = await program.earn(externalId, 1000);
      expect(again).toMatchObject({ bonus_points: 0, bonuses: [], balance_after: 7750 });
      expect((await program.tierOf(externalId))?.key).toBe("silver");
      const gilded = await program.earn(externalId, 4000);
      expect(gilded.bonuses).toMatchObject([{ source: "tier", source_id: "silver", points: 1000 }]);
      expect((await program.tierOf(externalId))?.key).toBe("gold");
      expect(
        (await program.bonusesOf(externalId))
          .filter((bonus) => bonus.source === "tier_upgrade")
          .map((b) => b.source_id),
      ).toEqual(["silver", "gold"]);
      expect((await program.history(externalId)).map((change) => change.to_key)).toEqual([
        "silver",
        "gold",
        "blue",
        "silver",
        "gold",
      ]);
    });
  });
}
