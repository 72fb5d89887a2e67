import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanUpIdempotencyKeys } from "../../gateway/src/domain/idempotency-cleanup";
import { runScheduledJobs } from "../../gateway/src/jobs";
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

const day = 86_400_000;

describe("expiry", () => {
  it("expires points oldest first as the clock moves, once, with expiry transactions and events", async () => {
    gw.clock.set("2026-03-01T00:00:00.000Z");
    const { owner, programId, enrol, move } = await setupProgram(gw, { points_expire_after_days: 30 });
    const member = await enrol();
    const balance = async () => {
      const token = await gw.token(owner.clientId, owner.secret);
      return (await gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token })).body.balance;
    };
    await move("earn", member, 100);
    gw.clock.advance(10 * day);
    await move("earn", member, 50, { token: await gw.token(owner.clientId, owner.secret) });
    gw.clock.advance(5 * day);
    await move("burn", member, 30, { token: await gw.token(owner.clientId, owner.secret) });
    expect((await balance()).expiring).toEqual([
      { points: 70, expires_at: "2026-03-31T00:00:00.000Z" },
      { points: 50, expires_at: "2026-04-10T00:00:00.000Z" },
    ]);

    gw.clock.set("2026-04-01T00:00:00.000Z");
    expect((await runScheduledJobs(gw.deps)).expiry).toEqual({ expired_points: 70, members: 1 });
    expect(await balance()).toMatchObject({
      available: 50,
      lifetime_earned: 150,
      expiring: [{ points: 50, expires_at: "2026-04-10T00:00:00.000Z" }],
    });
    // Running again at the same time changes nothing.
    expect((await runScheduledJobs(gw.deps)).expiry).toEqual({ expired_points: 0, members: 0 });

    gw.clock.set("2026-04-11T00:00:00.000Z");
    const [first, second] = await Promise.all([runScheduledJobs(gw.deps), runScheduledJobs(gw.deps)]);
    expect(
      (first.expiry as { expired_points: number }).expired_points +
        (second.expiry as { expired_points: number }).expired_points,
    ).toBe(50);
    expect(await balance()).toMatchObject({ available: 0, expiring: [] });

    const token = await gw.token(owner.clientId, owner.secret);
    const history = await gw.call("GET", `/v1/programs/${programId}/members/${member}/transactions`, { token });
    expect(
      history.body.data.filter((t: { type: string }) => t.type === "expiry").map((t: { points: number }) => t.points),
    ).toEqual([50, 70]);
    const events = await gw.deps.db.all<{ type: string }>(
      sql`select type from events where partner_id = ${owner.partner.id} and type = 'points.expired'`,
    );
    expect(events).toHaveLength(2);
  });

  it("counts reversed earns and reversed burns when deciding what expires", async () => {
    gw.clock.set("2026-06-01T00:00:00.000Z");
    const { owner, enrol, move, balance } = await setupProgram(gw, { points_expire_after_days: 10 });
    const member = await enrol();
    const earned = await move("earn", member, 100);
    const burned = await move("burn", member, 60);
    const reverse = (id: string, points: number) =>
      gw.call("POST", `/v1/transactions/${id}/reversals`, {
        token: owner.token,
        headers: { "Idempotency-Key": newKey() },
        body: { points },
      });
    expect((await reverse(earned.body.id, 20)).status).toBe(201);
    expect((await reverse(burned.body.id, 10)).status).toBe(201);
    // 100 earned - 20 reversed = 80 credited; 60 burned - 10 reversed = 50 spent; 30 left to expire.
    expect(await balance(member)).toMatchObject({ available: 30, lifetime_earned: 80 });
    gw.clock.advance(11 * day);
    expect((await runScheduledJobs(gw.deps)).expiry).toEqual({ expired_points: 30, members: 1 });
    const token = await gw.token(owner.clientId, owner.secret);
    const after = await gw.call("GET", `/v1/programs/${earned.body.program_id}/members/${member}`, { token });
    expect(after.body.balance.available).toBe(0);
  });

  it("never expires points of programs without an expiry", async () => {
    gw.clock.set("2026-07-01T00:00:00.000Z");
    const { owner, programId, enrol, move } = await setupProgram(gw);
    const member = await enrol();
    await move("earn", member, 40);
    gw.clock.advance(5000 * day);
    await runScheduledJobs(gw.deps);
    const token = await gw.token(owner.clientId, owner.secret);
    const after = await gw.call("GET", `/v1/programs/${programId}/members/${member}`, { token });
    expect(after.body.balance).toMatchObject({ available: 40, expiring: [] });
  });
});

describe("idempotency key clean-up", () => {
  it("keeps keys at least 24 hours and deletes them after 48", async () => {
    gw.clock.set("2026-09-01T00:00:00.000Z");
    const { enrol, move } = await setupProgram(gw);
    const member = await enrol();
    const key = newKey();
    const first = await move("earn", member, 5, { key });
    gw.clock.advance(47 * 3600_000);
    expect(await cleanUpIdempotencyKeys(gw.deps)).toBe(0);
    gw.clock.advance(2 * 3600_000);
    expect(await cleanUpIdempotencyKeys(gw.deps)).toBeGreaterThanOrEqual(1);
    const rows = await gw.deps.db.all(sql`select key from idempotency_keys where key = ${key}`);
    expect(rows).toEqual([]);
    expect(first.status).toBe(201);
  });
});
