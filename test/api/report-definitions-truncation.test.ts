import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxReportRows } from "../../gateway/src/domain/reports/adhoc/run";
import { createTestGateway, type TestGateway } from "../support/gateway";
import { setupProgram } from "../support/ledger";

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

/**
 * A run's cap: more groups than a run answers need more rows than a scenario can write through the API in good
 * time, so this Node test writes 10,001 touchpoints of one member straight into the database (one INSERT of a
 * recursive sequence), each with its own agent, and reads them through the API grouped by agent.
 */
describe("a run with more groups than it answers", () => {
  it("answers the first 10,000 groups in order and says it was truncated, in the JSON and the CSV", async () => {
    gw.clock.set("2026-11-02T12:00:00.000Z");
    const { owner, programId, enrol } = await setupProgram(gw);
    const externalId = await enrol();
    const member = await gw.call("GET", `/v1/programs/${programId}/members/${externalId}`, { token: owner.token });
    const at = Date.parse("2026-11-02T10:00:00.000Z");
    await gw.deps.writer.write([
      {
        sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
              insert into touchpoints (id, program_id, member_id, channel, reason, direction, agent, recorded_by,
                occurred_at, created_at)
              select 'tpt_bulk' || printf('%05d', i), ?, ?, 'email', 'other', 'outbound', 'agent-' || printf('%05d', i),
                ?, ?, ? from n`,
        args: [maxReportRows + 1, programId, member.body.id, owner.partner.id, at, at],
      },
    ]);
    const saved = await gw.call("POST", `/v1/programs/${programId}/report-definitions`, {
      token: owner.token,
      body: { name: "By agent", dataset: "touchpoints", dimensions: ["agent"], measures: ["count"] },
    });
    expect(saved.status, saved.text).toBe(201);
    const range = "from=2026-11-01&to=2026-11-30";
    const run = await gw.call("GET", `/v1/report-definitions/${saved.body.id}/run?${range}`, { token: owner.token });
    expect(run.status, run.text).toBe(200);
    expect(run.body.truncated).toBe(true);
    expect(run.body.rows).toHaveLength(maxReportRows);
    expect(run.body.rows[0]).toEqual({ agent: "agent-00001", count: 1 });
    expect(run.body.rows.at(-1)).toEqual({ agent: "agent-10000", count: 1 });
    const csv = await gw.call("GET", `/v1/report-definitions/${saved.body.id}/run.csv?${range}`, {
      token: owner.token,
    });
    expect(csv.headers.get("report-truncated")).toBe("true");
    const records = parse(csv.text, { bom: true }) as string[][];
    expect(records).toHaveLength(maxReportRows + 1);
    expect(records.at(-1)).toEqual(["agent-10000", "1"]);
  });
});
