import { describe, expect, it } from "vitest";
import { setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Target } from "./target";

/** Issue 17, items 1-3: dynamic and static segments, preview, membership. */
export function segmentScenarios(target: Target) {
  const gw = connect(target);

  async function population() {
    const program = await setupProgram(gw);
    const enrol = async (externalId: string, attributes: Record<string, unknown>, points: number) => {
      expectBody(
        await gw.call("POST", `/v1/programs/${program.programId}/members`, {
          as: program.owner,
          body: { external_id: externalId, attributes },
        }),
        op.enrolMember,
        201,
      );
      if (points > 0) await program.earn(externalId, points);
    };
    await enrol("A", { brand: "x", visits: 3, vip: true }, 100);
    await enrol("B", { brand: "y", visits: 10 }, 0);
    await enrol("C", { brand: "x", visits: "3" }, 500);
    const create = (body: unknown) =>
      gw.call("POST", `/v1/programs/${program.programId}/segments`, { as: program.owner, body });
    return { ...program, create };
  }
  const ids = (page: { data: { external_id: string }[] }) => page.data.map((member) => member.external_id).sort();

  describe("segments", () => {
    it("counts a dynamic segment, lists and previews its members, and types attribute values", async () => {
      const program = await population();
      const segment = expectBody(
        await program.create({
          name: "Brand X",
          type: "dynamic",
          rule: {
            all: [
              { field: "attributes.brand", op: "eq", value: "x" },
              { field: "balance.available", op: "gte", value: 100 },
            ],
          },
        }),
        op.createSegment,
        201,
      );
      expect(segment).toMatchObject({ type: "dynamic", member_count: 2 });
      const members = expectBody(
        await gw.call("GET", `/v1/segments/${segment.id}/members`, { as: program.owner }),
        op.listSegmentMembers,
        200,
      );
      expect(ids(members)).toEqual(["A", "C"]);
      const numeric = expectBody(
        await gw.call("POST", "/v1/segments/preview", {
          as: program.owner,
          body: { program_id: program.programId, rule: { field: "attributes.visits", op: "eq", value: 3 } },
        }),
        op.previewSegment,
        200,
      );
      expect(numeric.member_count).toBe(1);
      expect(numeric.sample.map((member) => member.external_id)).toEqual(["A"]);
      const negated = expectBody(
        await gw.call("POST", "/v1/segments/preview", {
          as: program.owner,
          body: { program_id: program.programId, rule: { field: "attributes.vip", op: "neq", value: true } },
        }),
        op.previewSegment,
        200,
      );
      expect(negated.member_count).toBe(2);
    });

    it("keeps a static list: adds by external id, reports unknown ids, removes, exports CSV", async () => {
      const program = await population();
      const list = expectBody(await program.create({ name: "=List", type: "static" }), op.createSegment, 201);
      const added = expectBody(
        await gw.call("POST", `/v1/segments/${list.id}/members`, {
          as: program.owner,
          body: { external_ids: ["A", "B", "A", "nobody"] },
        }),
        op.addSegmentMembers,
        200,
      );
      expect(added).toEqual({ added: 2, already: 0, unknown: ["nobody"] });
      const again = expectBody(
        await gw.call("POST", `/v1/segments/${list.id}/members`, {
          as: program.owner,
          body: { external_ids: ["B", "C"] },
        }),
        op.addSegmentMembers,
        200,
      );
      expect(again).toEqual({ added: 1, already: 1, unknown: [] });
      const removed = expectBody(
        await gw.call("DELETE", `/v1/segments/${list.id}/members/B`, { as: program.owner }),
        op.removeSegmentMember,
        200,
      );
      expect(removed.member_count).toBe(2);
      const csv = await gw.call("GET", `/v1/segments/${list.id}/members.csv`, { as: program.owner });
      expect(csv.status).toBe(200);
      expect(csv.text.split("\r\n")[0]).toBe("external_id,email,name,tier");
      expect(csv.text.split("\r\n").slice(1, 3).sort()).toEqual(["A,,,", "C,,,"]);
      const mine = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/members/A/segments`, { as: program.owner }),
        op.listMemberSegments,
        200,
      );
      expect(mine.data.map((segment) => segment.id)).toEqual([list.id]);
    });

    it("refuses a malformed rule at its path, a cycle, and deleting a referenced segment", async () => {
      const program = await population();
      const bad = expectProblem(
        await program.create({
          name: "Bad",
          type: "dynamic",
          rule: { all: [{ field: "tier", op: "gt", value: "gold" }, { any: [{ field: "nope", op: "eq", value: 1 }] }] },
        }),
        400,
        "validation_failed",
      );
      expect(bad.errors?.map((error) => error.path)).toEqual(["rule.all[0].op", "rule.all[1].any[0].field"]);
      const base = expectBody(
        await program.create({ name: "Base", type: "dynamic", rule: { field: "lifetime_earned", op: "gt", value: 0 } }),
        op.createSegment,
        201,
      );
      const derived = expectBody(
        await program.create({
          name: "Derived",
          type: "dynamic",
          rule: { field: "segment", op: "eq", value: base.id },
        }),
        op.createSegment,
        201,
      );
      expect(derived.member_count).toBe(2);
      const cycle = expectProblem(
        await gw.call("PATCH", `/v1/segments/${base.id}`, {
          as: program.owner,
          body: { rule: { field: "segment", op: "eq", value: derived.id } },
        }),
        400,
        "validation_failed",
      );
      expect(cycle.errors?.[0]?.message).toContain("cycle");
      expectProblem(await gw.call("DELETE", `/v1/segments/${base.id}`, { as: program.owner }), 409, "conflict");
      expectBody(await gw.call("DELETE", `/v1/segments/${derived.id}`, { as: program.owner }), op.deleteSegment, 200);
      expectBody(await gw.call("DELETE", `/v1/segments/${base.id}`, { as: program.owner }), op.deleteSegment, 200);
    });
  });
}
