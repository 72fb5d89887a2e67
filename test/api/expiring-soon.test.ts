import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AtomicWriter } from "../../gateway/src/db/writer";
import { noticeExpiringPoints } from "../../gateway/src/domain/expiry-notices";
import { runScheduledJobs } from "../../gateway/src/jobs";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, newKey, setupProgram } from "../support/ledger";

const DAY = 86_400_000;

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

/** The expiring-soon notices written for a program: lot, points, and the event's data. */
const noticesOf = async (programId: string) => ({
  notices: await gw.deps.db.all<{ transaction_id: string; points: number }>(
    sql`select transaction_id, points from expiry_notices where program_id = ${programId} order by transaction_id`,
  ),
  events: (
    await gw.deps.db.all<{ payload: string }>(
      sql`select payload from events where type = 'points.expiring_soon'
          and json_extract(payload, '$.data.program_id') = ${programId} order by id`,
    )
  ).map((event) => JSON.parse(event.payload).data),
});

describe("points.expiring_soon notices", () => {
  it("leave erased members, lots spent or reversed in full and lots already expired alone", async () => {
    gw.clock.set("2025-11-01T00:00:00.000Z");
    const { owner, programId, enrol, move } = await setupProgram(gw, { points_expire_after_days: 40 });
    // A lot that expires before any run saw it within 30 days: expired, never noticed.
    expect((await move("earn", await enrol(), 30)).status).toBe(201);

    gw.clock.set("2026-01-01T00:00:00.000Z");
    const token = await gw.token(owner.clientId, owner.secret);
    const [kept, erased, spent, reversed] = [
      await enrol(undefined, token),
      await enrol(undefined, token),
      await enrol(undefined, token),
      await enrol(undefined, token),
    ];
    const earned = await move("earn", kept, 100, { token });
    const earnedBy: Record<string, string> = {};
    for (const member of [erased, spent, reversed])
      earnedBy[member] = (await move("earn", member, 80, { token })).body.id;
    expect((await move("burn", spent, 80, { token })).status).toBe(201);
    const reversal = await gw.call("POST", `/v1/transactions/${earnedBy[reversed]}/reversals`, {
      token,
      headers: { "Idempotency-Key": newKey() },
      body: {},
    });
    expect(reversal.status).toBe(201);
    const erasure = await gw.call("POST", `/v1/programs/${programId}/members/${erased}/erase`, { token });
    expect(erasure.status).toBe(200);
    // And a program whose points never expire.
    const forever = await setupProgram(gw);
    await forever.move("earn", await forever.enrol(), 500);

    gw.clock.set(new Date(Date.parse(earned.body.expires_at) - 30 * DAY));
    const run = await runScheduledJobs(gw.deps);
    expect(run.expiry).toEqual({ expired_points: 30, members: 1 });
    expect(run.expiring_soon).toEqual({ notices: 1, points: 100 });
    expect(await noticesOf(programId)).toEqual({
      notices: [{ transaction_id: earned.body.id, points: 100 }],
      events: [{ program_id: programId, external_id: kept, points: 100, expires_at: earned.body.expires_at }],
    });
    expect((await noticesOf(forever.programId)).notices).toEqual([]);
  });

  it("notice a program's many members with one read and a write per 500 lots", async () => {
    gw.clock.set("2026-06-01T00:00:00.000Z");
    const { programId, enrol, move } = await setupProgram(gw, { points_expire_after_days: 30 });
    const members = 1_001;
    for (let start = 0; start < members; start += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, members - start) }, async () => {
          expect((await move("earn", await enrol(), 10)).status).toBe(201);
        }),
      );
    }
    let writes = 0;
    const writer: AtomicWriter = {
      write: (statements) => {
        writes += 1;
        return gw.deps.writer.write(statements);
      },
    };
    expect(await noticeExpiringPoints({ ...gw.deps, writer })).toEqual({ notices: members, points: members * 10 });
    expect(writes).toBe(3);
    const { notices, events } = await noticesOf(programId);
    expect([notices.length, events.length]).toEqual([members, members]);
    expect(await noticeExpiringPoints({ ...gw.deps, writer })).toEqual({ notices: 0, points: 0 });
    expect(writes).toBe(3);
  });
});
