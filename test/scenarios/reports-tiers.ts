import { describe, expect, it } from "vitest";
import { tiersTables } from "../../gateway/src/domain/reports/tiers";
import { setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody } from "./harness";
import { expectCsvOf, expectManagedReport, localDay, plusDays, reportCalls } from "./report-fixtures";
import * as op from "./routes";
import type { Target } from "./target";
import { table } from "./tier-fixtures";

const zone = "Asia/Tokyo";
const hourMs = 3_600_000;

type TierFigures = {
  members_at_start: number;
  enrolled: number;
  moved_in: number;
  moved_out: number;
  members_at_end: number;
};

/**
 * The tiers report (issue 21): members per tier now, at a range's start and end (folded from the tier history) and
 * the range's moves, for a program in Tokyo's zone whose members were placed, qualified up, jumped two tiers, were
 * moved down by hand and qualified again after the range, against hand counts; each CSV table equal to its JSON;
 * who may read it.
 */
export function tiersReportScenarios(target: Target) {
  const gw = connect(target);

  describe("tiers report", () => {
    it("counts members per tier now, at the range's start and end, enrolments and every move, as the history says", async () => {
      const program = await setupProgram(gw);
      const { programId, owner } = program;
      expect(
        (await gw.call("PATCH", `/v1/programs/${programId}`, { as: owner, body: { timezone: zone } })).status,
      ).toBe(200);
      const tick = () => gw.clock.advance(1_000);
      const setTier = async (externalId: string, tierKey: string) => {
        const answer = await gw.call("POST", `/v1/programs/${programId}/members/${externalId}/tier`, {
          as: owner,
          body: { tier_key: tierKey, reason: "status match" },
        });
        expect(answer.status, answer.text).toBe(200);
      };
      // Day D: Zed joins before the program has tiers, and the table places it in Blue.
      const setup = localDay(gw.clock.now(), zone);
      await program.enrol(); // Zed
      tick();
      expectBody(await gw.call("PUT", `/v1/programs/${programId}/tiers`, { as: owner, body: table }), op.putTiers, 200);
      tick();
      const ann = await program.enrol();
      const bob = await program.enrol();
      const cal = await program.enrol();
      tick();
      await program.earn(ann.externalId, 1_500); // Blue -> Silver, qualified
      await setTier(bob.externalId, "gold"); // Blue -> Gold, manual
      // The range: the next two local days. At noon of the first, Eve joins; Cal jumps to Gold, Eve to Silver, Bob
      // is put back in Blue by hand.
      const from = plusDays(setup, 1);
      const to = plusDays(setup, 2);
      gw.clock.set(new Date(`${from}T12:00:00+09:00`));
      const eve = await program.enrol();
      tick();
      await program.earn(cal.externalId, 6_000); // Blue -> Gold, qualified
      await program.earn(eve.externalId, 1_200); // Blue -> Silver, qualified
      await setTier(bob.externalId, "blue"); // Gold -> Blue, manual
      // After the range, Ann reaches Gold: the report's "now" shows it, its end does not.
      gw.clock.set(new Date(new Date(`${plusDays(to, 1)}T00:00:00+09:00`).getTime() + hourMs));
      await program.earn(ann.externalId, 5_000);

      const report = reportCalls(gw, `/v1/programs/${programId}/reports/tiers`);
      const read = async (query: { from?: string; to?: string }) =>
        expectBody(await report.json(owner, query), op.getTiersReport, 200);
      const row = (key: string | null, name: string | null, position: number | null, now: number, f: TierFigures) => ({
        key,
        name,
        position,
        members: now,
        ...f,
      });
      const range = await read({ from, to });
      expect(range).toEqual({
        program_id: programId,
        timezone: zone,
        from,
        to,
        totals: { members: 5, upgrades: 2, downgrades: 1, placements: 0 },
        tiers: [
          // Blue: Cal at the start; Eve joins; Bob comes in; Cal and Eve leave. Zed stays throughout.
          row("blue", "Blue", 0, 2, { members_at_start: 2, enrolled: 1, moved_in: 1, moved_out: 2, members_at_end: 2 }),
          row("silver", "Silver", 1, 1, {
            members_at_start: 1,
            enrolled: 0,
            moved_in: 1,
            moved_out: 0,
            members_at_end: 2,
          }),
          row("gold", "Gold", 2, 2, { members_at_start: 1, enrolled: 0, moved_in: 1, moved_out: 1, members_at_end: 1 }),
        ],
        movements: [
          { from_key: "blue", to_key: "silver", reason: "qualified", direction: "upgrade", changes: 1, members: 1 },
          { from_key: "blue", to_key: "gold", reason: "qualified", direction: "upgrade", changes: 1, members: 1 },
          { from_key: "gold", to_key: "blue", reason: "manual", direction: "downgrade", changes: 1, members: 1 },
        ],
      });
      for (const tier of range.tiers)
        expect(tier.members_at_end).toBe(tier.members_at_start + tier.enrolled + tier.moved_in - tier.moved_out);

      // Day D alone: everyone enrolled that day; Zed from no tier (placed by the new table), Ann and Bob moved up.
      const first = await read({ from: setup, to: setup });
      expect(first.totals).toEqual({ members: 5, upgrades: 2, downgrades: 0, placements: 1 });
      expect(first.tiers).toEqual([
        row("blue", "Blue", 0, 2, { members_at_start: 0, enrolled: 3, moved_in: 1, moved_out: 2, members_at_end: 2 }),
        row("silver", "Silver", 1, 1, {
          members_at_start: 0,
          enrolled: 0,
          moved_in: 1,
          moved_out: 0,
          members_at_end: 1,
        }),
        row("gold", "Gold", 2, 2, { members_at_start: 0, enrolled: 0, moved_in: 1, moved_out: 0, members_at_end: 1 }),
        row(null, null, null, 0, { members_at_start: 0, enrolled: 1, moved_in: 0, moved_out: 1, members_at_end: 0 }),
      ]);
      expect(first.movements).toEqual([
        { from_key: null, to_key: "blue", reason: "requalified", direction: "placement", changes: 1, members: 1 },
        { from_key: "blue", to_key: "silver", reason: "qualified", direction: "upgrade", changes: 1, members: 1 },
        { from_key: "blue", to_key: "gold", reason: "manual", direction: "upgrade", changes: 1, members: 1 },
      ]);

      // Up to today (the default range ends today): the end is now. Day D is in it, so is Zed's time without a tier.
      const recent = await read({});
      expect(recent.tiers.map((t) => [t.key, t.members_at_end])).toEqual(recent.tiers.map((t) => [t.key, t.members]));
      expect(recent.tiers.map((t) => [t.key, t.members])).toEqual([
        ["blue", 2],
        ["silver", 1],
        ["gold", 2],
        [null, 0],
      ]);

      for (const name of ["tiers", "movements"] as const)
        expectCsvOf(await report.csv(owner, { from, to, table: name }), tiersTables[name], range[name]);
      expectCsvOf(await report.csv(owner, { from: setup, to: setup }), tiersTables.tiers, first.tiers);
      await expectManagedReport(gw, report, program);
    });

    it("answers a program without tiers with its members counted without a tier", async () => {
      const program = await setupProgram(gw);
      await program.enrol();
      const report = reportCalls(gw, `/v1/programs/${program.programId}/reports/tiers`);
      const answer = expectBody(await report.json(program.owner), op.getTiersReport, 200);
      expect(answer.tiers).toEqual([
        {
          key: null,
          name: null,
          position: null,
          members: 1,
          members_at_start: 0,
          enrolled: 1,
          moved_in: 0,
          moved_out: 0,
          members_at_end: 1,
        },
      ]);
      expect(answer.movements).toEqual([]);
    });
  });
}
