import { describe, expect, it } from "vitest";
import { setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Target } from "./target";

const when = (field: string, op: string, value: unknown) => ({ field, op, value });

/** The limits of segments at their edges: many segments, long lists, deep references, 10,000 long external ids (on D1 too). */
export function segmentLimitScenarios(target: Target) {
  const gw = connect(target);

  describe("segments at their limits", () => {
    it("answers a member's segments in a program with 100 segments", async () => {
      const program = await setupProgram(gw);
      await program.enrol("M");
      for (let n = 1; n <= 100; n++) {
        const created = await gw.call("POST", `/v1/programs/${program.programId}/segments`, {
          as: program.owner,
          body: { name: `List ${n}`, type: "static" },
        });
        expectBody(created, op.createSegment, 201);
      }
      const answer = await gw.call("GET", `/v1/programs/${program.programId}/members/M/segments`, {
        as: program.owner,
      });
      expect(expectBody(answer, op.listMemberSegments, 200).data).toEqual([]);
    }, 60_000);

    it("creates segments whose lists have 43 to 50 rules, or 43 to 100 attribute values", async () => {
      const program = await setupProgram(gw);
      await program.enrol("M");
      const visits = (count: number) => Array.from({ length: count }, (_, n) => n);
      const rules = {
        "any of 43": { any: visits(43).map((n) => when("attributes.visits", "eq", n)) },
        "all of 50": { all: visits(50).map((n) => when("locale", "neq", `x${n}`)) },
        "attribute in 43 values": when("attributes.visits", "in", visits(43)),
        "attribute in 100 values (preview)": when("attributes.visits", "in", visits(100)),
      };
      const statuses: Record<string, number> = {};
      for (const [what, rule] of Object.entries(rules)) {
        const created = await gw.call("POST", `/v1/programs/${program.programId}/segments`, {
          as: program.owner,
          body: { name: what, type: "dynamic", rule },
        });
        const previewed = await gw.call("POST", "/v1/segments/preview", {
          as: program.owner,
          body: { program_id: program.programId, rule },
        });
        statuses[what] = created.status * 1000 + previewed.status;
      }
      expect(statuses).toEqual(Object.fromEntries(Object.keys(rules).map((what) => [what, 201_200])));
    });

    it("creates a segment naming a segment that names another, ten times each", async () => {
      const program = await setupProgram(gw);
      await program.enrol("M");
      const create = async (rule: unknown) =>
        expectBody(
          await gw.call("POST", `/v1/programs/${program.programId}/segments`, {
            as: program.owner,
            body: { name: "Layer", type: "dynamic", rule },
          }),
          op.createSegment,
          201,
        );
      let layer = await create({ all: Array.from({ length: 10 }, (_, n) => when("locale", "neq", `x${n}`)) });
      for (let level = 2; level <= 4; level++) layer = await create(when("segment", "in", Array(10).fill(layer.id)));
      expect(layer.member_count).toBe(1);
    });

    it("adds 10,000 external ids of 12 characters in one request", async () => {
      const program = await setupProgram(gw);
      await program.enrol("SK-0000-0001");
      const list = expectBody(
        await gw.call("POST", `/v1/programs/${program.programId}/segments`, {
          as: program.owner,
          body: { name: "Campaign", type: "static" },
        }),
        op.createSegment,
        201,
      );
      const ids = Array.from({ length: 10_000 }, (_, n) => `SK-${String(n).padStart(4, "0")}-0001`.slice(0, 12));
      const added = await gw.call("POST", `/v1/segments/${list.id}/members`, {
        as: program.owner,
        body: { external_ids: ids },
      });
      expect(expectBody(added, op.addSegmentMembers, 200)).toMatchObject({ added: 1, already: 0 });
    });

    it("refuses a rule that, with the segments it references inlined, would be too large, at its path", async () => {
      const program = await setupProgram(gw);
      const big = { all: Array.from({ length: 50 }, (_, n) => when(`attributes.key_${n}`, "neq", `value-${n}`)) };
      const ids: string[] = [];
      for (let n = 0; n < 10; n++) {
        const created = await gw.call("POST", `/v1/programs/${program.programId}/segments`, {
          as: program.owner,
          body: { name: `Big ${n}`, type: "dynamic", rule: big },
        });
        ids.push(expectBody(created, op.createSegment, 201).id);
      }
      const before = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/segments?limit=100`, { as: program.owner }),
        op.listSegments,
        200,
      );
      const refused = expectProblem(
        await gw.call("POST", `/v1/programs/${program.programId}/segments`, {
          as: program.owner,
          body: { name: "All of them", type: "dynamic", rule: when("segment", "in", ids) },
        }),
        400,
        "validation_failed",
      );
      expect(refused.errors).toMatchObject([{ path: "rule", message: expect.stringContaining("too large") }]);
      const after = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/segments?limit=100`, { as: program.owner }),
        op.listSegments,
        200,
      );
      expect(after.data.length).toBe(before.data.length);
    });
  });
}
