import { describe, expect, it } from "vitest";
import { newKey, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";

const dayMs = 86_400_000;

/** Blue (entry), Silver at 1,000 points or 5 purchases (25% accrual, 100 upgrade bonus), Gold at 5,000 points. */
const table = {
  qualification_window_days: 30,
  tiers: [
    { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
    {
      key: "silver",
      name: "Silver",
      min_points: 1000,
      min_purchases: 5,
      earn_bonus_bps: 2500,
      upgrade_bonus_points: 100,
    },
    { key: "gold", name: "Gold", min_points: 5000, earn_bonus_bps: 5000, upgrade_bonus_points: 500 },
  ],
};

/** Issue 16, items 6-7: tiers and bonuses. */
export function tierScenarios(target: Target) {
  const gw = connect(target);

  async function tieredProgram() {
    const program = await setupProgram(gw);
    const put = await gw.call("PUT", `/v1/programs/${program.programId}/tiers`, { as: program.owner, body: table });
    expectBody(put, op.putTiers, 200);
    const tierOf = async (externalId: string) => expectBody(await program.member(externalId), op.getMember, 200).tier;
    return { ...program, tierOf };
  }

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
  void newKey;
}
