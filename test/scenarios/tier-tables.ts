import { afterEach, describe, expect, it } from "vitest";
import { addAgreement, onboardPartner } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";
import { dayMs, later, table, tieredProgram as tieredProgramOf } from "./tier-fixtures";

/** The table with Silver from `min_points` points (or 5 purchases) and Gold as it is. */
const silverFrom = (minPoints: number) => ({
  ...table,
  tiers: table.tiers.map((tier) => (tier.key === "silver" ? { ...tier, min_points: minPoints } : tier)),
});

type Recipient = { partner_id: string; data: Record<string, unknown> };
const byRecipient = (events: Recipient[]) =>
  [...events].sort((x, y) => (x.partner_id < y.partner_id ? -1 : x.partner_id > y.partner_id ? 1 : 0));

/**
 * Issue 16, item 6: tier tables changed while members hold tiers, manual tiers, who hears of a move, and listing
 * members by tier (tier-access.ts: who may read and write the tiers).
 */
export function tierTableScenarios(target: Target) {
  const gw = connect(target);
  const tieredProgram = (tiers: unknown = table) => tieredProgramOf(gw, tiers);

  describe("tier tables changed live", () => {
    // Every scenario here moves points: the ledger must still balance after it.
    afterEach(() => expectLedgerInvariants(target.rows));

    it("re-places members when a minimum is lowered, a tier removed, and the tiers removed, while earns go on", async () => {
      const program = await tieredProgram();
      const a = (await program.enrol()).externalId;
      const b = (await program.enrol()).externalId;
      const c = (await program.enrol()).externalId;
      await program.earn(a, 600); // Blue
      await program.earn(b, 1000); // Silver, +100
      await program.earn(c, 5000); // Gold, +500
      target.clock.advance(60_000);

      // Silver from 500 points: A moves up as requalified, held for the window, with no upgrade bonus.
      const lowered = expectBody(await program.putTiers(silverFrom(500)), op.putTiers, 200);
      expect(lowered.tiers.map((tier) => [tier.key, tier.min_points, tier.member_count])).toEqual([
        ["blue", null, 0],
        ["silver", 500, 2],
        ["gold", 5000, 1],
      ]);
      expect(lowered.updated_at).toBe(target.clock.now().toISOString());
      expect(await program.tierOf(a)).toMatchObject({
        key: "silver",
        since: target.clock.now().toISOString(),
        held_until: later(target.clock.now().toISOString(), 30 * dayMs).toISOString(),
      });
      expect((await program.history(a)).map((change) => [change.from_key, change.to_key, change.reason])).toEqual([
        ["blue", "silver", "requalified"],
      ]);
      expect(await program.bonusesOf(a)).toEqual([]);
      expect((await program.history(b)).length).toBe(1); // B and C did not move
      expect((await program.history(c)).length).toBe(1);
      // Silver from 2,000 points: A and B no longer qualify, but hold Silver, so they keep it.
      const raised = expectBody(await program.putTiers(silverFrom(2000)), op.putTiers, 200);
      expect(raised.tiers.map((tier) => tier.member_count)).toEqual([0, 2, 1]);
      expect((await program.history(a)).length).toBe(1);
      expect((await program.history(b)).length).toBe(1);
      // The new table applies to the next earn: Silver's 25%.
      expect(await program.earn(a, 100)).toMatchObject({ bonus_points: 25, balance_after: 725 });

      // Silver removed, Gold from 800 points: members are placed by what they qualify for, B moving up unpaid.
      const withoutSilver = {
        qualification_window_days: 30,
        tiers: [
          table.tiers[0],
          { key: "gold", name: "Gold", min_points: 800, earn_bonus_bps: 5000, upgrade_bonus_points: 500 },
        ],
      };
      const removed = expectBody(await program.putTiers(withoutSilver), op.putTiers, 200);
      expect(removed.tiers.map((tier) => [tier.key, tier.member_count])).toEqual([
        ["blue", 1],
        ["gold", 2],
      ]);
      expect((await program.tierOf(a))?.key).toBe("blue"); // 700 points
      expect(await program.tierOf(b)).toMatchObject({ key: "gold", progress: null });
      expect((await program.history(b)).map((change) => [change.from_key, change.to_key, change.reason])).toEqual([
        ["blue", "silver", "qualified"],
        ["silver", "gold", "requalified"],
      ]);
      expect((await program.bonusesOf(b)).map((bonus) => bonus.source_id)).toEqual(["silver"]);
      // An earn reaching Gold under the new table pays Gold's upgrade bonus, never paid to A before.
      const reaching = await program.earn(a, 100);
      expect(reaching.bonuses).toMatchObject([{ source: "tier_upgrade", source_id: "gold", points: 500 }]);

      // No tiers: the members' tier is null, earns carry no bonus, a manual tier has nothing to set.
      const none = expectBody(await program.putTiers({ tiers: [] }), op.putTiers, 200);
      expect(none).toMatchObject({ qualification_window_days: null, tiers: [] });
      expect(await program.tierTable()).toMatchObject({ qualification_window_days: null, tiers: [] });
      for (const member of [a, b, c]) expect(await program.tierOf(member)).toBeNull();
      expect(await program.earn(c, 100)).toMatchObject({ bonus_points: 0, bonuses: [], balance_after: 5600 });
      expectProblem(await program.setTier(a, { tier_key: "gold", reason: "x" }), 409, "invalid_state");
      const listed = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/members`, { as: program.owner }),
        op.listMembers,
        200,
      );
      expect(listed.data.map((member) => member.tier)).toEqual([null, null, null]);
      // The history stays.
      expect((await program.history(a)).length).toBe(3);
    });

    it("places members again by their activity when tiers come back, silently into the entry tier", async () => {
      const program = await tieredProgram();
      const blue = (await program.enrol()).externalId;
      const gold = (await program.enrol()).externalId;
      await program.earn(blue, 10);
      await program.earn(gold, 5000);
      expectBody(await program.putTiers({ tiers: [] }), op.putTiers, 200);
      const events = (await program.tierEvents(blue)).length;
      expectBody(await program.putTiers(table), op.putTiers, 200);
      expect((await program.tierOf(blue))?.key).toBe("blue");
      expect(await program.tierOf(gold)).toMatchObject({ key: "gold", progress: null });
      expect((await program.history(gold)).map((change) => [change.from_key, change.to_key, change.reason])).toEqual([
        ["blue", "gold", "qualified"],
        [null, "gold", "requalified"],
      ]);
      expect((await program.tierEvents(blue)).length).toBe(events);
      // Gold's upgrade bonus was paid once, by the earn.
      expect((await program.bonusesOf(gold)).map((bonus) => bonus.source_id)).toEqual(["gold"]);
    });
    it("tells the owner when a program's first tier table places a member above the entry tier", async () => {
      const program = await tieredProgram({ tiers: [] });
      const { externalId } = await program.enrol();
      await program.earn(externalId, 5000);
      expectBody(await program.putTiers(table), op.putTiers, 200);
      expect((await program.tierOf(externalId))?.key).toBe("gold");
      expect(await program.history(externalId)).toMatchObject([
        { from_key: null, to_key: "gold", reason: "requalified" },
      ]);
      expect(await program.tierEvents(externalId)).toEqual([
        {
          partner_id: program.owner.id,
          data: {
            program_id: program.programId,
            external_id: externalId,
            from: null,
            to: "gold",
            reason: "requalified",
          },
        },
      ]);
    });
  });

  describe("manual tiers", () => {
    // Every scenario here moves points: the ledger must still balance after it.
    afterEach(() => expectLedgerInvariants(target.rows));

    it("holds a manual tier until held_until, then the job places the member by its activity", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      await program.earn(externalId, 1500); // Silver, +100
      const now = target.clock.now();
      const until = later(now.toISOString(), 10 * dayMs).toISOString();
      const set = await program.setTier(externalId, { tier_key: "gold", held_until: until, reason: "status match" });
      expect(expectBody(set, op.setMemberTier, 200)).toMatchObject({
        tier: { key: "gold", since: now.toISOString(), held_until: until, progress: null },
        balance: { available: 1600 },
      });
      expect((await program.history(externalId)).at(-1)).toEqual({
        from_key: "silver",
        to_key: "gold",
        reason: "manual",
        note: "status match",
        actor: program.owner.clientId,
      });
      expect((await program.bonusesOf(externalId)).map((bonus) => bonus.source_id)).toEqual(["silver"]);

      // A held_until now or before: 400 naming it, and the tier as it was.
      for (const past of [now.toISOString(), new Date(now.getTime() - 1000).toISOString(), "2001-01-01T00:00:00Z"]) {
        const refused = await program.setTier(externalId, { tier_key: "blue", held_until: past, reason: "x" });
        expect(expectProblem(refused, 400, "validation_failed").errors?.map((error) => error.path)).toEqual([
          "held_until",
        ]);
      }
      expect(await program.tierOf(externalId)).toMatchObject({ key: "gold", held_until: until });
      expect(await program.earn(externalId, 100)).toMatchObject({ bonus_points: 50 }); // Gold's 50%

      target.clock.set(later(until, -1000));
      await target.runJobs();
      expect((await program.tierOf(externalId))?.key).toBe("gold");
      target.clock.set(later(until, 1000));
      await target.runJobs();
      expect(await program.tierOf(externalId)).toMatchObject({
        key: "silver", // 1,600 points in the window
        held_until: later(until, 1000 + 30 * dayMs).toISOString(),
      });
      expect((await program.history(externalId)).at(-1)).toMatchObject({ to_key: "silver", reason: "requalified" });
    });

    it("sets a lower tier for the window by default; the next earn moves the member up to what it qualifies for", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      await program.earn(externalId, 1000); // Silver, +100
      const set = await gw.call("POST", `/v1/programs/${program.programId}/members/${externalId}/tier`, {
        as: gw.operator,
        body: { tier_key: "blue", reason: "fraud review" },
      });
      expect(expectBody(set, op.setMemberTier, 200).tier).toMatchObject({
        key: "blue",
        held_until: later(target.clock.now().toISOString(), 30 * dayMs).toISOString(),
      });
      expect((await program.history(externalId)).at(-1)).toMatchObject({
        reason: "manual",
        actor: gw.operator.clientId,
      });
      // Blue's accrual (none); the earn qualifies for Silver again, whose upgrade bonus was paid already.
      const earned = await program.earn(externalId, 10);
      expect(earned).toMatchObject({ bonus_points: 0, bonuses: [], balance_after: 1110 });
      expect((await program.tierOf(externalId))?.key).toBe("silver");
      expect((await program.history(externalId)).at(-1)).toMatchObject({ from_key: "blue", reason: "qualified" });
    });
  });

  describe("member.tier_changed", () => {
    // Every scenario here moves points: the ledger must still balance after it.
    afterEach(() => expectLedgerInvariants(target.rows));

    it("tells the owner, the enrolling partner and the earning partner, once each, and the reason", async () => {
      const program = await tieredProgram();
      const [hotel, grocer, stranger] = [await onboardPartner(gw), await onboardPartner(gw), await onboardPartner(gw)];
      await addAgreement(gw, program.programId, hotel.id);
      await addAgreement(gw, program.programId, grocer.id);
      const { externalId } = await program.enrol(undefined, hotel);
      const crossing = await program.earn(externalId, 1000, { as: grocer });
      const moved = (from: string | null, to: string, reason: string) => ({
        program_id: program.programId,
        external_id: externalId,
        from,
        to,
        reason,
      });
      /** One event per partner, with the same data; compared by recipient. */
      const to = (partners: { id: string }[], data: Record<string, unknown>) =>
        byRecipient(partners.map((partner) => ({ partner_id: partner.id, data })));
      let read = 0;
      /** The member's events since the last call, by recipient. */
      const fresh = async () => {
        const events = await program.tierEvents(externalId);
        const since = events.slice(read);
        read = events.length;
        return byRecipient(since);
      };
      expect(await fresh()).toEqual(to([program.owner, hotel, grocer], moved("blue", "silver", "qualified")));
      // The earning partner reads it in its own events, timestamped by the earn; a stranger does not.
      const seen = async (as: typeof grocer) =>
        expectBody(
          await gw.call("GET", "/v1/events?type=member.tier_changed&limit=100", { as }),
          op.listEvents,
          200,
        ).data.filter((event) => (event.data as { external_id?: string }).external_id === externalId);
      expect(await seen(grocer)).toMatchObject([
        { type: "member.tier_changed", timestamp: crossing.created_at, data: moved("blue", "silver", "qualified") },
      ]);
      expect(await seen(stranger)).toEqual([]);

      // The owner's own earn: the owner once, and the enrolling partner.
      await program.earn(externalId, 4000);
      expect(await fresh()).toEqual(to([program.owner, hotel], moved("silver", "gold", "qualified")));
      // A manual tier by the operator, then the job after its hold: the owner and the enrolling partner.
      const until = later(target.clock.now().toISOString(), dayMs).toISOString();
      const set = await gw.call("POST", `/v1/programs/${program.programId}/members/${externalId}/tier`, {
        as: gw.operator,
        body: { tier_key: "blue", held_until: until, reason: "audit" },
      });
      expectBody(set, op.setMemberTier, 200);
      expect(await fresh()).toEqual(to([program.owner, hotel], moved("gold", "blue", "manual")));
      target.clock.set(later(until, 1000));
      await target.runJobs();
      expect(await fresh()).toEqual(to([program.owner, hotel], moved("blue", "gold", "requalified")));
      // A new table without Gold re-places the member: the same two.
      expectBody(await program.putTiers({ ...table, tiers: table.tiers.slice(0, 2) }), op.putTiers, 200);
      expect(await fresh()).toEqual(to([program.owner, hotel], moved("gold", "silver", "requalified")));
    });

    it("sends one event when the owner enrols and earns, and none when a member does not move", async () => {
      const program = await tieredProgram();
      const { externalId } = await program.enrol();
      await program.earn(externalId, 1000);
      await program.earn(externalId, 1000);
      expect(await program.tierEvents(externalId)).toEqual([
        {
          partner_id: program.owner.id,
          data: {
            program_id: program.programId,
            external_id: externalId,
            from: "blue",
            to: "silver",
            reason: "qualified",
          },
        },
      ]);
      // The same tier set by hand again only extends the hold: no event.
      target.clock.advance(dayMs);
      const renewed = await program.setTier(externalId, { tier_key: "silver", reason: "renewal" });
      expect(expectBody(renewed, op.setMemberTier, 200).tier?.held_until).toBe(
        later(target.clock.now().toISOString(), 30 * dayMs).toISOString(),
      );
      expect((await program.tierEvents(externalId)).length).toBe(1);
    });
  });

  describe("members by tier", () => {
    // Every scenario here moves points: the ledger must still balance after it.
    afterEach(() => expectLedgerInvariants(target.rows));

    it("lists the members holding a tier with ?tier=, newest first", async () => {
      const program = await tieredProgram();
      const ids = [];
      for (const points of [10, 1000, 1200, 5000]) {
        const { externalId } = await program.enrol();
        await program.earn(externalId, points);
        ids.push(externalId);
        target.clock.advance(1000);
      }
      const [blue, silverOld, silverNew, gold] = ids;
      const holding = async (tier: string) =>
        expectBody(
          await gw.call("GET", `/v1/programs/${program.programId}/members?tier=${tier}`, { as: program.owner }),
          op.listMembers,
          200,
        ).data.map((member) => [member.external_id, member.tier?.key]);
      expect(await holding("silver")).toEqual([
        [silverNew, "silver"],
        [silverOld, "silver"],
      ]);
      expect(await holding("gold")).toEqual([[gold, "gold"]]);
      expect(await holding("blue")).toEqual([[blue, "blue"]]);
      expect(await holding("platinum")).toEqual([]);
    });
  });
}
