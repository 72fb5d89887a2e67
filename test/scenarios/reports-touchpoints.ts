import { describe, expect, it } from "vitest";
import { touchpointChannels as channels, touchpointReasons as reasons } from "../../gateway/src/db/queries/touchpoints";
import { touchpointsTables } from "../../gateway/src/domain/reports/touchpoints";
import { addAgreement, onboardPartner, setupProgram } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectCsvOf, localDay, plusDays, reportCalls } from "./report-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

const zone = "America/New_York";

/** A program in New York's zone with two members, a partner with an agreement, and the report's calls. */
async function touchpointsWorld(gw: Gateway) {
  const program = await setupProgram(gw);
  const patched = await gw.call("PATCH", `/v1/programs/${program.programId}`, {
    as: program.owner,
    body: { timezone: zone },
  });
  expect(patched.status).toBe(200);
  const ann = await program.enrol();
  const bob = await program.enrol();
  const grocer = await onboardPartner(gw);
  await addAgreement(gw, program.programId, grocer.id);
  const record = async (externalId: string, occurredAt: string, body: Record<string, unknown>) => {
    const answer = await gw.call("POST", `/v1/programs/${program.programId}/members/${externalId}/touchpoints`, {
      as: program.owner,
      body: { occurred_at: occurredAt, ...body },
    });
    expect(answer.status, answer.text).toBe(201);
  };
  const report = reportCalls(gw, `/v1/programs/${program.programId}/reports/touchpoints`);
  const read = async (query: { from?: string; to?: string } = {}) =>
    expectBody(await report.json(program.owner, query), op.getTouchpointsReport, 200);
  return { ...program, ann, bob, grocer, record, report, read };
}

const unrated = { touchpoints: 0, rated: 0, mean_rating: null };

/**
 * The touchpoints report (issue 21): contacts by channel, reason and direction with the mean rating, over local days
 * of a program in New York's zone across both daylight-saving changes of 2026 (a 23-hour and a 25-hour day),
 * against hand-computed answers; each CSV table equal to its JSON; who may read it; bad ranges refused by name.
 */
export function touchpointsReportScenarios(target: Target) {
  const gw = connect(target);

  describe("touchpoints report", () => {
    it("counts each local day of New York across the spring change (23 hours) exactly, with mean ratings", async () => {
      const world = await touchpointsWorld(gw);
      const { ann, bob, record } = world;
      // 2026-03-08 in New York runs from 05:00Z (EST midnight) to 04:00Z on the 9th (EDT midnight).
      await record(ann.externalId, "2026-03-08T04:59:59.999Z", {
        channel: "email",
        reason: "question",
        direction: "inbound",
        rating: 1,
      });
      await record(ann.externalId, "2026-03-08T05:00:00.000Z", {
        channel: "call_center",
        reason: "complaint",
        direction: "inbound",
        rating: 2,
      });
      await record(bob.externalId, "2026-03-08T12:00:00.000Z", {
        channel: "call_center",
        reason: "complaint",
        direction: "inbound",
        rating: 5,
      });
      await record(bob.externalId, "2026-03-08T15:00:00.000Z", {
        channel: "call_center",
        reason: "complaint",
        direction: "outbound",
      });
      await record(ann.externalId, "2026-03-09T03:59:59.999Z", {
        channel: "sms",
        reason: "invitation",
        direction: "outbound",
      });
      await record(bob.externalId, "2026-03-09T04:00:00.000Z", {
        channel: "email",
        reason: "question",
        direction: "inbound",
        rating: 4,
      });

      const day = await world.read({ from: "2026-03-08", to: "2026-03-08" });
      expect(day).toEqual({
        program_id: world.programId,
        timezone: zone,
        from: "2026-03-08",
        to: "2026-03-08",
        totals: { touchpoints: 4, rated: 2, mean_rating: 3.5 },
        channels: channels.map((channel) => ({
          channel,
          ...(channel === "call_center"
            ? { touchpoints: 3, rated: 2, mean_rating: 3.5 }
            : channel === "sms"
              ? { touchpoints: 1, rated: 0, mean_rating: null }
              : unrated),
        })),
        reasons: reasons.map((reason) => ({
          reason,
          ...(reason === "complaint"
            ? { touchpoints: 3, rated: 2, mean_rating: 3.5 }
            : reason === "invitation"
              ? { touchpoints: 1, rated: 0, mean_rating: null }
              : unrated),
        })),
        groups: [
          {
            channel: "call_center",
            reason: "complaint",
            direction: "inbound",
            touchpoints: 2,
            rated: 2,
            mean_rating: 3.5,
          },
          { channel: "call_center", reason: "complaint", direction: "outbound", ...unrated, touchpoints: 1 },
          { channel: "sms", reason: "invitation", direction: "outbound", ...unrated, touchpoints: 1 },
        ],
      });

      // The days around it hold the contacts just outside: EST's last minute of the 7th, EDT's first of the 9th.
      const three = await world.read({ from: "2026-03-07", to: "2026-03-09" });
      expect(three.totals).toEqual({ touchpoints: 6, rated: 4, mean_rating: 3 });
      expect(three.groups).toContainEqual({
        channel: "email",
        reason: "question",
        direction: "inbound",
        touchpoints: 2,
        rated: 2,
        mean_rating: 2.5,
      });
      expect((await world.read({ from: "2026-03-07", to: "2026-03-07" })).totals).toEqual({
        touchpoints: 1,
        rated: 1,
        mean_rating: 1,
      });
      expect((await world.read({ from: "2026-03-09", to: "2026-03-09" })).totals).toEqual({
        touchpoints: 1,
        rated: 1,
        mean_rating: 4,
      });

      // Every table's CSV is its JSON, cell for cell.
      for (const table of ["groups", "channels", "reasons"] as const) {
        const csv = await world.report.csv(world.owner, { from: "2026-03-07", to: "2026-03-09", table });
        expectCsvOf(csv, touchpointsTables[table], three[table]);
      }
      expectCsvOf(
        await world.report.csv(world.owner, { from: "2026-03-08", to: "2026-03-08" }),
        touchpointsTables.groups,
        day.groups,
      );
    });

    it("counts the autumn change's 25-hour day whole, and nothing of its neighbours", async () => {
      const world = await touchpointsWorld(gw);
      const contact = { channel: "store", reason: "feedback", direction: "inbound" };
      // 2026-11-01 in New York runs from 04:00Z (EDT midnight) to 05:00Z on the 2nd (EST midnight).
      await world.record(world.ann.externalId, "2026-11-01T03:59:59.999Z", { ...contact, rating: 1 });
      await world.record(world.ann.externalId, "2026-11-01T04:00:00.000Z", { ...contact, rating: 3 });
      await world.record(world.bob.externalId, "2026-11-02T04:30:00.000Z", { ...contact, rating: 4 });
      await world.record(world.bob.externalId, "2026-11-02T05:00:00.000Z", { ...contact, rating: 5 });
      const day = await world.read({ from: "2026-11-01", to: "2026-11-01" });
      expect(day.totals).toEqual({ touchpoints: 2, rated: 2, mean_rating: 3.5 });
      expect(day.groups).toEqual([{ ...contact, touchpoints: 2, rated: 2, mean_rating: 3.5 }]);
      expect((await world.read({ from: "2026-10-31", to: "2026-10-31" })).totals.mean_rating).toBe(1);
      expect((await world.read({ from: "2026-11-02", to: "2026-11-02" })).totals.mean_rating).toBe(5);
    });

    it("covers the last 30 local days by default, today included, and an empty range with zeros and null means", async () => {
      const world = await touchpointsWorld(gw);
      const now = gw.clock.now();
      await world.record(world.ann.externalId, now.toISOString(), {
        channel: "app",
        reason: "other",
        direction: "inbound",
        rating: 5,
      });
      const today = localDay(now, zone);
      const first = plusDays(today, -29);
      const recent = await world.read();
      expect(recent).toMatchObject({ from: first, to: today, totals: { touchpoints: 1, rated: 1, mean_rating: 5 } });
      expect(await world.read({ from: first })).toEqual(recent);
      expect(await world.read({ to: today })).toEqual(recent);
      const empty = await world.read({ from: "2020-01-01", to: "2020-12-31" });
      expect(empty.totals).toEqual(unrated);
      expect(empty.groups).toEqual([]);
      expect(empty.channels.every((row) => row.touchpoints === 0 && row.mean_rating === null)).toBe(true);
      expectCsvOf(
        await world.report.csv(world.owner, { from: "2020-01-01", to: "2020-12-31" }),
        touchpointsTables.groups,
        [],
      );
    });

    it("answers the owner and the operator; a partner with an agreement 403, anyone else 404, on the JSON and the CSV", async () => {
      const world = await touchpointsWorld(gw);
      const stranger = await onboardPartner(gw);
      for (const call of [world.report.json, world.report.csv]) {
        expect((await call(world.owner)).status).toBe(200);
        expect((await call(gw.operator)).status).toBe(200);
        expectProblem(await call(world.grocer), 403, "forbidden");
        expectProblem(await call(stranger), 404, "not_found");
      }
      const nowhere = reportCalls(gw, "/v1/programs/prg_nowhere/reports/touchpoints");
      expectProblem(await nowhere.json(gw.operator), 404, "not_found");
      expectProblem(await nowhere.csv(gw.operator), 404, "not_found");
      const narrow = await gw.token(world.owner, "members:read members:write");
      const refused = await gw.call("GET", `/v1/programs/${world.programId}/reports/touchpoints`, { token: narrow });
      expectProblem(refused, 403, "forbidden");
    });

    it("refuses a bad range or table with 400 naming the parameter", async () => {
      const world = await touchpointsWorld(gw);
      const cases: [Record<string, string>, string][] = [
        [{ from: "2026-02-30" }, "from"],
        [{ from: "20260301" }, "from"],
        [{ to: "2026-13-01" }, "to"],
        [{ to: "yesterday" }, "to"],
        [{ from: "2026-03-02", to: "2026-03-01" }, "to"],
        [{ from: "2999-01-01" }, "from"],
      ];
      for (const [query, path] of cases) {
        for (const call of [world.report.json, world.report.csv]) {
          const problem = expectProblem(
            await call(world.owner, query),
            400,
            "validation_failed",
            JSON.stringify(query),
          );
          expect(problem.errors?.map((e) => e.path)).toContain(path);
        }
      }
      const table = expectProblem(await world.report.csv(world.owner, { table: "members" }), 400, "validation_failed");
      expect(table.errors?.map((e) => e.path)).toContain("table");
      const path = `/v1/programs/${world.programId}/reports/touchpoints?interval=day`;
      expectProblem(await gw.call("GET", path, { as: world.owner }), 400, "validation_failed");
    });
  });
}
