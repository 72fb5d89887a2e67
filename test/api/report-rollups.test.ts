import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listJournalAfter } from "../../gateway/src/db/queries/report-rollups";
import { foldTransactions } from "../../gateway/src/domain/reports/fold";
import { rollUpReports } from "../../gateway/src/domain/reports/rollup";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

const HOUR = 3_600_000;

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

/** What the roll-up tables hold, every column, in a stable order. */
const rollups = async () => ({
  daily: await gw.deps.reader.all("select * from report_daily order by program_id, day"),
  active: await gw.deps.reader.all("select * from report_active_members order by program_id, grain, bucket, member_id"),
  zones: await gw.deps.reader.all("select * from report_rollup_zones order by program_id"),
});

/** The whole journal folded at once in each program's zone, as the tables would hold it. */
async function foldedAtOnce() {
  const zones = new Map(
    (await gw.deps.reader.all<{ id: string; timezone: string }>("select id, timezone from programs")).map((p) => [
      p.id,
      p.timezone,
    ]),
  );
  const folded = foldTransactions(await listJournalAfter(gw.deps.reader, 0, 1_000_000), (id) => zones.get(id) ?? "UTC");
  const daily = folded.days
    .map(({ programId, day, figures }) => ({ program_id: programId, day, ...figures }))
    .sort((a, b) => `${a.program_id} ${a.day}`.localeCompare(`${b.program_id} ${b.day}`));
  const key = (k: { program_id: string; grain: string; bucket: string; member_id: string }) =>
    `${k.program_id} ${k.grain} ${k.bucket} ${k.member_id}`;
  const active = folded.active
    .map((k) => ({ program_id: k.programId, grain: k.grain, bucket: k.bucket, member_id: k.memberId }))
    .sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return { daily, active };
}

/** Three programs in three zones, with earns and burns over four days. */
async function journal() {
  gw.clock.set("2026-12-30T20:00:00.000Z");
  const operator = await gw.operatorToken();
  for (const timezone of ["UTC", "America/Santiago", "Asia/Tokyo"]) {
    const { owner, programId, enrol, move } = await setupProgram(gw);
    await gw.call("PATCH", `/v1/programs/${programId}`, { token: operator, body: { timezone } });
    const members = [await enrol(undefined, owner.token), await enrol(undefined, owner.token)];
    for (let i = 0; i < 12; i++) {
      gw.clock.advance(7 * HOUR);
      const member = members[i % 2] as string;
      const token = await gw.token(owner.clientId, owner.secret);
      expect((await move("earn", member, 100 + i, { token })).status).toBe(201);
      if (i % 3 === 0) expect((await move("burn", member, 50, { token })).status).toBe(201);
    }
  }
}

describe("the reports' roll-up job", () => {
  it("rolls every journal row up once when two runs go at once, a few rows a step each", async () => {
    await journal();
    const [first, second] = await Promise.all([
      rollUpReports(gw.deps, { batchRows: 4 }),
      rollUpReports(gw.deps, { batchRows: 4 }),
    ]);
    const [{ rows }] = (await gw.deps.reader.all<{ rows: number }>(
      "select count(*) as rows from ledger_transactions",
    )) as [{ rows: number }];
    // Each step of the journal was applied by one run; the other's write refused itself and that run stopped,
    // the first to finish only when it had reached the end.
    expect((first?.rows ?? 0) + (second?.rows ?? 0)).toBeLessThanOrEqual(rows);
    const last = await rollUpReports(gw.deps, { batchRows: 4 });
    expect((first?.rows ?? 0) + (second?.rows ?? 0) + last.rows).toBe(rows);
    const tables = await rollups();
    expect({ daily: tables.daily, active: tables.active }).toEqual(await foldedAtOnce());
    expect(tables.zones).toHaveLength(3);
    expect(last.last_rowid).toBe(
      (await gw.deps.reader.all<{ id: number }>("select max(rowid) as id from ledger_transactions"))[0]?.id,
    );
  });

  it("stops after its steps and goes on where it stopped", async () => {
    const count = async () =>
      (await gw.deps.reader.all<{ n: number }>("select count(*) as n from ledger_transactions"))[0]?.n ?? 0;
    const before = await count();
    await journal();
    const written = (await count()) - before;
    expect((await rollUpReports(gw.deps, { batchRows: 5, maxBatches: 2 })).rows).toBe(10);
    expect((await rollUpReports(gw.deps, { batchRows: 5 })).rows).toBe(written - 10);
    expect((await rollUpReports(gw.deps)).rows).toBe(0);
    const tables = await rollups();
    expect({ daily: tables.daily, active: tables.active }).toEqual(await foldedAtOnce());
  });
});
