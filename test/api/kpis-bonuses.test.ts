import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partnerDashboard, presetRange } from "../../gateway/src/domain/kpis";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey, setupProgram } from "../support/ledger";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

describe("dashboard figures with bonuses", () => {
  it("counts tier bonuses, net of their reversals, as points issued", async () => {
    gw.clock.set("2026-10-10T12:00:00.000Z");
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const put = await gw.call("PUT", `/v1/programs/${programId}/tiers`, {
      token: owner.token,
      body: {
        tiers: [
          { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
          { key: "gold", name: "Gold", min_points: 100, earn_bonus_bps: 5000, upgrade_bonus_points: 250 },
        ],
      },
    });
    expect(put.status).toBe(200);
    const member = await enrol();
    expect((await move("earn", member, 100)).body.bonus_points).toBe(250); // reaching Gold
    const earned = await move("earn", member, 200);
    expect(earned.body.bonus_points).toBe(100); // Gold's 50%
    const reversed = await gw.call("POST", `/v1/transactions/${earned.body.id}/reversals`, {
      token: owner.token,
      headers: { "Idempotency-Key": newKey() },
      body: { points: 50 },
    });
    expect(reversed.body.bonus_points).toBe(25);

    const dashboard = await partnerDashboard(gw.deps, owner.partner.id, presetRange(7, gw.clock.now()));
    // Earned 300 - 50 reversed, and bonuses 250 + 100 - 25.
    expect(dashboard.programs[0]).toMatchObject({ issued: 575, redeemed: 0, activeMembers: 1, pointsHeld: 575 });
    expect(dashboard.programs[0]?.daily.at(-1)).toEqual({ day: "2026-10-10", issued: 575, redeemed: 0 });
  });
});
