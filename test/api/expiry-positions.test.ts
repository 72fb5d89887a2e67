import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../gateway/src/clock";
import type { AtomicWriter, Statement } from "../../gateway/src/db/writer";
import { expirePoints } from "../../gateway/src/domain/expiry";
import { noticeExpiringPoints } from "../../gateway/src/domain/expiry-notices";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { expectLedgerInvariants, setupProgram } from "../support/ledger";

// A gateway per test: each counts or stops the writes of runs over every program it holds.
let gw: TestGateway;
beforeEach(async () => {
  gw = await createTestGateway();
  gw.clock.set("2026-03-01T00:00:00.000Z");
});
afterEach(async () => {
  await expectLedgerInvariants(gw);
  await gw.close();
});

const DAY = 86_400_000;

/** The writer of the test's gateway, failing the write that `fails` picks (by its statements or its number). */
function failingWriter(fails: (statements: Statement[], count: number) => boolean): AtomicWriter {
  let count = 0;
  return {
    write: async (statements) => {
      count += 1;
      if (fails(statements, count)) throw new Error("the process stopped");
      return gw.deps.writer.write(statements);
    },
  };
}

const savesPositions = (statements: Statement[]) => statements.some((s) => s.sql.includes("expiry_positions"));

/** A program with a helper that reads a member's available points now, with a token fresh at the clock's time. */
async function expiringProgram(days: number) {
  const program = await setupProgram(gw, { points_expire_after_days: days });
  const available = async (member: string) => {
    const token = await gw.token(program.owner.clientId, program.owner.secret);
    const answer = await gw.call("GET", `/v1/programs/${program.programId}/members/${member}`, { token });
    return answer.body.balance.available;
  };
  return { ...program, available };
}

const positionsOf = (programId: string) =>
  gw.deps.db.all<{ job: string }>(sql`select job from expiry_positions where program_id = ${programId}`);

describe("the expiry job's positions", () => {
  it("lets two runs at different instants, both reading before either writes, expire a member's points once", async () => {
    const { owner, enrol, move, available } = await expiringProgram(10);
    const member = await enrol();
    const earnAfter = async (days: number, points: number) => {
      gw.clock.advance(days * DAY);
      const token = await gw.token(owner.clientId, owner.secret);
      expect((await move("earn", member, points, { token })).status).toBe(201);
    };
    await earnAfter(0, 100); // due March 11
    await earnAfter(2, 50); // due March 13
    await earnAfter(3, 1_000); // due March 16
    // Each run's first write waits until both runs have come to theirs, having read what they will write.
    let arrived = 0;
    let bothRead = () => {};
    const read = new Promise<void>((resolve) => {
      bothRead = resolve;
    });
    const waiting = (): AtomicWriter => {
      let first = true;
      return {
        write: async (statements) => {
          if (first) {
            first = false;
            arrived += 1;
            if (arrived === 2) bothRead();
            await read;
          }
          return gw.deps.writer.write(statements);
        },
      };
    };
    const runAt = (at: string, writer?: AtomicWriter) =>
      expirePoints({ ...gw.deps, clock: new ManualClock(at), ...(writer ? { writer } : {}) });

    // The earlier run would expire 100 through March 11, the later 150 through March 13: one of them writes.
    const runs = await Promise.all([
      runAt("2026-03-12T00:00:00.000Z", waiting()),
      runAt("2026-03-14T00:00:00.000Z", waiting()),
    ]);
    expect(runs.map((run) => run.members).sort()).toEqual([0, 1]);
    const after = await runAt("2026-03-14T00:00:00.000Z");
    expect(runs.reduce((sum, run) => sum + run.expired_points, after.expired_points)).toBe(150);
    expect(await available(member)).toBe(1_000);
  });

  it("skips nothing and expires nothing twice when a run stops between its writes", async () => {
    const { owner, programId, enrol, move, available } = await expiringProgram(10);
    const members = [await enrol(), await enrol(), await enrol()];
    for (const member of members) expect((await move("earn", member, 10)).status).toBe(201);
    gw.clock.advance(11 * DAY);

    // Stopped after the first member's expiry: no position is saved, and the next run expires the two others.
    await expect(expirePoints({ ...gw.deps, writer: failingWriter((_, count) => count === 2) })).rejects.toThrow();
    expect(await positionsOf(programId)).toEqual([]);
    expect(await expirePoints(gw.deps)).toEqual({ expired_points: 20, members: 2 });

    // Stopped after its expiry, before saving its position: the next run reads the member again, and leaves it.
    const token = await gw.token(owner.clientId, owner.secret);
    const late = await enrol(undefined, token);
    expect((await move("earn", late, 10, { token })).status).toBe(201);
    gw.clock.advance(11 * DAY);
    await expect(expirePoints({ ...gw.deps, writer: failingWriter(savesPositions) })).rejects.toThrow();
    expect(await available(late)).toBe(0);
    expect(await expirePoints(gw.deps)).toEqual({ expired_points: 0, members: 0 });
    for (const member of [...members, late]) expect(await available(member)).toBe(0);
    expect(await positionsOf(programId)).toEqual([{ job: "expiry" }]);

    // With nothing changed since, a run writes nothing.
    const quiet = failingWriter(() => true);
    expect(await expirePoints({ ...gw.deps, writer: quiet })).toEqual({ expired_points: 0, members: 0 });
  });
});

describe("the expiring-soon notices' positions", () => {
  it("notices on the next run the lots of a write that did not happen, and saves no position past them", async () => {
    const { programId, enrol, move } = await expiringProgram(30);
    for (const member of [await enrol(), await enrol()]) expect((await move("earn", member, 10)).status).toBe(201);

    // The run's last write carries the positions: stopped there, it noticed nothing and moved no position.
    const stopped = noticeExpiringPoints({ ...gw.deps, writer: failingWriter(savesPositions) });
    await expect(stopped).rejects.toThrow();
    expect(await positionsOf(programId)).toEqual([]);
    expect(await noticeExpiringPoints(gw.deps)).toEqual({ notices: 2, points: 20 });
    expect(await positionsOf(programId)).toEqual([{ job: "expiring_soon" }]);
    expect(await noticeExpiringPoints({ ...gw.deps, writer: failingWriter(() => true) })).toEqual({
      notices: 0,
      points: 0,
    });
  });
});
