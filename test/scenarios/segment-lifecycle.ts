import { describe, expect, it } from "vitest";
import { setupProgram } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Target } from "./target";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A program owned by a new partner, with helpers to create, change, read and delete its segments as the owner. */
async function segmentProgram(gw: Gateway) {
  const program = await setupProgram(gw);
  const as = program.owner;
  const create = (body: Record<string, unknown>) =>
    gw.call("POST", `/v1/programs/${program.programId}/segments`, { as, body });
  /** A dynamic segment of `rule`, expecting it created. */
  const dynamic = async (rule: unknown, name = "Segment") =>
    expectBody(await create({ name, type: "dynamic", rule }), op.createSegment, 201);
  const patch = (id: string, body: Record<string, unknown>) => gw.call("PATCH", `/v1/segments/${id}`, { as, body });
  const get = (id: string) => gw.call("GET", `/v1/segments/${id}`, { as });
  const remove = (id: string) => gw.call("DELETE", `/v1/segments/${id}`, { as });
  const preview = (rule: unknown) =>
    gw.call("POST", "/v1/segments/preview", { as, body: { program_id: program.programId, rule } });
  /** The external ids a segment holds now, newest first. */
  const members = async (id: string) =>
    expectBody(
      await gw.call("GET", `/v1/segments/${id}/members?limit=100`, { as }),
      op.listSegmentMembers,
      200,
    ).data.map((member) => member.external_id);
  const list = async () =>
    expectBody(
      await gw.call("GET", `/v1/programs/${program.programId}/segments?limit=100`, { as }),
      op.listSegments,
      200,
    ).data.map((segment) => segment.id);
  return { ...program, create, dynamic, patch, get, remove, preview, members, list };
}

const references = (id: string | string[]) => ({ field: "segment", op: Array.isArray(id) ? "in" : "eq", value: id });

/** Issue 17, item 1: segments referencing segments (cycles, deleted ones), and when member_count is counted. */
export function segmentLifecycleScenarios(target: Target) {
  const gw = connect(target);
  const now = () => target.clock.now().toISOString();

  describe("segments referencing segments", () => {
    it("refuses a cycle on PATCH: A->B->A, A->B->C->A, and a segment naming itself at any depth", async () => {
      const program = await segmentProgram(gw);
      const a = await program.dynamic({ field: "lifetime_earned", op: "gte", value: 0 }, "A");
      const b = await program.dynamic(references(a.id), "B");
      const c = await program.dynamic(
        { all: [references(b.id), { field: "locale", op: "exists", value: false }] },
        "C",
      );
      const refusals = [
        [a.id, references(b.id)],
        [a.id, { any: [{ field: "tier", op: "exists", value: true }, { not: references(c.id) }] }],
        [a.id, references(a.id)],
        [b.id, { all: [{ any: [{ not: references([c.id, b.id]) }] }] }],
        [c.id, { all: [{ not: { not: references(c.id) } }] }],
      ] as const;
      for (const [id, rule] of refusals) {
        const problem = expectProblem(
          await program.patch(id, { rule }),
          400,
          "validation_failed",
          JSON.stringify(rule),
        );
        // Every reference that leads back is named, each at `rule`.
        expect(new Set(problem.errors?.map((error) => error.path))).toEqual(new Set(["rule"]));
        expect(problem.errors?.some((error) => error.message.includes("cycle"))).toBe(true);
      }
      // Nothing was written: each segment keeps its rule and its count.
      for (const segment of [a, b, c])
        expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toEqual(segment);
      // A diamond is no cycle: D names B and C, which both lead to A.
      const d = await program.dynamic({ any: [references(b.id), references([c.id, a.id])] }, "D");
      expect(d.rule).toEqual({ any: [references(b.id), references([c.id, a.id])] });
    });

    it("refuses a rule over a deleted or foreign segment at `rule`, and deleting a segment another names", async () => {
      const program = await segmentProgram(gw);
      await program.enrol("M1");
      const base = await program.dynamic({ field: "balance.available", op: "eq", value: 0 }, "Base");
      const changed = await program.dynamic({ field: "locale", op: "exists", value: false }, "Changed");
      const gone = await program.dynamic({ field: "locale", op: "exists", value: true }, "Gone");
      expect(expectBody(await program.remove(gone.id), op.deleteSegment, 200)).toEqual({
        id: gone.id,
        object: "segment",
        deleted: true,
      });
      expectProblem(await program.get(gone.id), 404, "not_found");
      // Another program of the same owner, and an id of the right shape that was never a segment.
      const elsewhere = await segmentProgram(gw);
      const foreign = await elsewhere.dynamic({ field: "lifetime_earned", op: "gt", value: 0 });
      const before = await program.list();
      for (const missing of [gone.id, foreign.id, "seg_00000000000000000000000000"]) {
        for (const rule of [
          references(missing),
          { all: [references(base.id), { not: references([base.id, missing]) }] },
        ]) {
          const what = `${missing} in ${JSON.stringify(rule)}`;
          const created = expectProblem(
            await program.create({ name: "X", type: "dynamic", rule }),
            400,
            "validation_failed",
            what,
          );
          expect(
            created.errors?.map((error) => error.path),
            what,
          ).toEqual(["rule"]);
          const previewed = expectProblem(await program.preview(rule), 400, "validation_failed", what);
          expect(
            previewed.errors?.map((error) => error.path),
            what,
          ).toEqual(["rule"]);
          const patched = expectProblem(await program.patch(changed.id, { rule }), 400, "validation_failed", what);
          expect(
            patched.errors?.map((error) => error.path),
            what,
          ).toEqual(["rule"]);
        }
      }
      expect(await program.list()).toEqual(before);
      for (const segment of [base, changed])
        expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toEqual(segment);

      // A segment another names cannot be deleted (409, still there) until that one is deleted.
      const referrer = await program.dynamic({ not: references(base.id) }, "Referrer");
      const refused = expectProblem(await program.remove(base.id), 409, "conflict");
      expect(refused.detail).toContain(referrer.id);
      expect(expectBody(await program.get(base.id), op.getSegment, 200).id).toBe(base.id);
      expect(await program.members(base.id)).toEqual(["M1"]);
      expectBody(await program.remove(referrer.id), op.deleteSegment, 200);
      expectBody(await program.remove(base.id), op.deleteSegment, 200);
      expectProblem(await program.get(base.id), 404, "not_found");
      expectProblem(await program.remove(base.id), 404, "not_found");
    });
  });

  describe("member_count and counted_at", () => {
    it("counts on create and on a new rule, lags between, and is recounted by the job only 24 hours later", async () => {
      const program = await segmentProgram(gw);
      for (const externalId of ["M1", "M2", "M3"]) await program.enrol(externalId);
      await program.earn("M1", 500);
      await program.earn("M2", 100);
      const rich = { field: "balance.available", op: "gte", value: 100 };
      const segment = await program.dynamic(rich, "Rich");
      const created = now();
      expect(segment).toMatchObject({ member_count: 2, counted_at: created, created_at: created, updated_at: created });
      const joined = () =>
        target.rows<{ external_id: string; joined_at: number }>(
          `select m.external_id, sm.joined_at from segment_members sm join members m on m.id = sm.member_id
           where sm.segment_id = ? order by m.external_id`,
          segment.id,
        );
      expect(await joined()).toEqual([
        { external_id: "M1", joined_at: Date.parse(created) },
        { external_id: "M2", joined_at: Date.parse(created) },
      ]);

      // An hour on M3 earns: it is in the list at once, the count waits for the next count.
      target.clock.advance(hourMs);
      await program.earn("M3", 100);
      expect(await program.members(segment.id)).toEqual(["M3", "M2", "M1"]);
      expect(expectBody(await program.preview(rich), op.previewSegment, 200).member_count).toBe(3);
      expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toEqual(segment);
      // The preview wrote nothing, and the jobs recount nothing counted less than a day ago.
      expect(await joined()).toHaveLength(2);
      await target.runJobs();
      expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toEqual(segment);

      // A new rule is counted in the write that changes it; M3 joins then.
      target.clock.advance(hourMs);
      const patched = expectBody(
        await program.patch(segment.id, { rule: { ...rich, value: 50 } }),
        op.updateSegment,
        200,
      );
      const counted = now();
      expect(patched).toMatchObject({ member_count: 3, counted_at: counted, updated_at: counted });
      expect((await joined()).map((row) => row.joined_at)).toEqual([created, created, counted].map(Date.parse));

      // M2 spends all an hour on: gone from the list at once, from the count only at the job 24 hours after it.
      target.clock.advance(hourMs);
      await program.burn("M2", 100);
      expect(await program.members(segment.id)).toEqual(["M3", "M1"]);
      target.clock.set(new Date(Date.parse(counted) + dayMs - 1));
      await target.runJobs();
      expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toMatchObject({
        member_count: 3,
        counted_at: counted,
      });
      target.clock.advance(1);
      await target.runJobs();
      const recounted = expectBody(await program.get(segment.id), op.getSegment, 200);
      expect(recounted).toMatchObject({ member_count: 2, counted_at: now(), updated_at: counted });
      expect((await joined()).map((row) => row.external_id)).toEqual(["M1", "M3"]);
      // Counted: not due again at once.
      target.clock.advance(hourMs);
      await target.runJobs();
      expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toEqual(recounted);
    });

    it("records when a member joined: the job's recount adds newcomers with its own time, keeps the others'", async () => {
      const program = await segmentProgram(gw);
      await program.enrol("M1");
      const segment = await program.dynamic({ field: "days_since_enrolment", op: "gte", value: 1 }, "Settled");
      expect(segment.member_count).toBe(0);
      target.clock.advance(dayMs);
      await program.enrol("M2");
      expect(await program.members(segment.id)).toEqual(["M1"]);
      await target.runJobs();
      const first = now();
      expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toMatchObject({
        member_count: 1,
        counted_at: first,
      });
      target.clock.advance(dayMs);
      await target.runJobs();
      expect(expectBody(await program.get(segment.id), op.getSegment, 200)).toMatchObject({
        member_count: 2,
        counted_at: now(),
      });
      const rows = await target.rows<{ external_id: string; joined_at: number }>(
        `select m.external_id, sm.joined_at from segment_members sm join members m on m.id = sm.member_id
         where sm.segment_id = ? order by m.external_id`,
        segment.id,
      );
      expect(rows).toEqual([
        { external_id: "M1", joined_at: Date.parse(first) },
        { external_id: "M2", joined_at: target.clock.now().getTime() },
      ]);
    });
  });
}
