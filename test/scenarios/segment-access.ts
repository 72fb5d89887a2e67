import { describe, expect, it } from "vitest";
import { addAgreement, onboardPartner, setupProgram } from "./fixtures";
import { connect, type Gateway } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Answer, Credential, Target } from "./target";

const c = { field: "tier", op: "eq", value: "gold" };
const when = (field: unknown, op: string, value: unknown) => ({ field, op, value });
const conditions = (count: number) => Array.from({ length: count }, (_, n) => when("locale", "neq", `x${n}`));
/** `rule` under `times` levels of `not`. */
const negated = (rule: unknown, times: number): unknown => (times === 0 ? rule : { not: negated(rule, times - 1) });
/** A condition under `levels` alternating all/any lists: the condition is at depth levels + 1. */
const nested = (levels: number): unknown =>
  levels === 0 ? c : { [levels % 2 === 0 ? "all" : "any"]: [nested(levels - 1)] };
const long = "a".repeat(501);

/** Malformed rules, at every depth, with the paths the 400 must name (API-programs.md, the design of issue 17). */
const hostileRules: [string, unknown, string[]][] = [
  ["an unknown field", when("nope", "eq", 1), ["rule.field"]],
  [
    "an unknown field, deep",
    { all: [c, { any: [c, { not: when("attributes.", "eq", 1) }] }] },
    ["rule.all[1].any[1].not.field"],
  ],
  ["an attribute key with a space", { any: [when("attributes.bad key", "eq", 1)] }, ["rule.any[0].field"]],
  ["an attribute key of 65 characters", { not: when(`attributes.${"k".repeat(65)}`, "eq", 1) }, ["rule.not.field"]],
  ["a number for the field", when(5, "eq", 1), ["rule.field"]],
  ["an unknown op", when("tier", "like", "g"), ["rule.op"]],
  ["an unknown op, deep", { any: [{ not: { all: [c, when("tier", "EQ", "g")] } }] }, ["rule.any[0].not.all[1].op"]],
  ["no op", { field: "tier", value: "g" }, ["rule.op"]],
  ["gt on tier", when("tier", "gt", "gold"), ["rule.op"]],
  ["lt on locale", { all: [when("locale", "lt", "en")] }, ["rule.all[0].op"]],
  ["contains on balance.available", when("balance.available", "contains", "1"), ["rule.op"]],
  ["contains on days_since_enrolment", when("days_since_enrolment", "contains", "1"), ["rule.op"]],
  ["contains on rfm.r", when("rfm.r", "contains", "1"), ["rule.op"]],
  ["gt on rfm.segment", when("rfm.segment", "gt", "lost"), ["rule.op"]],
  ["exists on segment", when("segment", "exists", true), ["rule.op"]],
  ["contains on segment", { not: { not: when("segment", "contains", "seg_") } }, ["rule.not.not.op"]],
  ["a string for a number", when("balance.available", "eq", "5"), ["rule.value"]],
  ["a fraction for a whole number", when("lifetime_earned", "gt", 1.5), ["rule.value"]],
  ["null for a number", when("days_since_last_earn", "eq", null), ["rule.value"]],
  ["an unsafe integer", when("days_since_enrolment", "lt", 2 ** 53), ["rule.value"]],
  ["a score of 0", when("rfm.r", "eq", 0), ["rule.value"]],
  ["a score of 6", when("rfm.m", "lte", 6), ["rule.value"]],
  ["a fractional score", when("rfm.f", "gte", 2.5), ["rule.value"]],
  ["an unknown RFM segment", when("rfm.segment", "eq", "vip"), ["rule.value"]],
  ["a malformed segment id", when("segment", "eq", "seg_x"), ["rule.value"]],
  ["a number for a tier", when("tier", "eq", 5), ["rule.value"]],
  ["an empty locale", when("locale", "eq", ""), ["rule.value"]],
  ["a string for gt on an attribute", when("attributes.visits", "gt", "3"), ["rule.value"]],
  ["a number for contains", when("attributes.note", "contains", 3), ["rule.value"]],
  ["null for an attribute", when("attributes.note", "eq", null), ["rule.value"]],
  ["an object for an attribute", when("attributes.note", "eq", {}), ["rule.value"]],
  ["a list for eq", when("attributes.note", "eq", ["a"]), ["rule.value"]],
  ["a string for exists", when("locale", "exists", "yes"), ["rule.value"]],
  ["1 for exists", { all: [c, { any: [when("attributes.vip", "exists", 1)] }] }, ["rule.all[1].any[0].value"]],
  ["no value", { field: "tier", op: "eq" }, ["rule.value"]],
  ["a string for in", when("tier", "in", "gold"), ["rule.value"]],
  ["in with no values", when("tier", "in", []), ["rule.value"]],
  [
    "nin with 101 values",
    when(
      "locale",
      "nin",
      conditions(101).map((_, n) => `l${n}`),
    ),
    ["rule.value"],
  ],
  ["a bad item in in", { not: when("rfm.r", "in", [1, 2, 7, 3, "4"]) }, ["rule.not.value[2]", "rule.not.value[4]"]],
  ["a number in a list", when("tier", "nin", [1]), ["rule.value[0]"]],
  ["a number for a node", { all: [1] }, ["rule.all[0]"]],
  ["null for a node", { all: [c, { any: [null] }] }, ["rule.all[1].any[0]"]],
  ["a list for not", { not: [c] }, ["rule.not"]],
  ["a string for not", { any: [{ not: "x" }] }, ["rule.any[0].not"]],
  ["a list in a list", { all: [[c]] }, ["rule.all[0]"]],
  ["all and any together", { all: [c], any: [c] }, ["rule"]],
  ["not and all together, deep", { any: [c, { not: c, all: [c] }] }, ["rule.any[1]"]],
  ["all beside a field", { all: [c], field: "tier" }, ["rule"]],
  ["an unknown key in a condition", { ...c, extra: 1 }, ["rule"]],
  ["an unknown key, deep", { all: [c, { not: { ...c, Field: "tier" } }] }, ["rule.all[1].not"]],
  ["an empty object", { any: [{}] }, ["rule.any[0].field", "rule.any[0].op"]],
  ["an empty all", { all: [] }, ["rule.all"]],
  ["51 in an any", { any: conditions(51) }, ["rule.any"]],
  ["an object for all", { all: c }, ["rule.all"]],
  ["9 levels of not", negated(c, 8), [`rule${".not".repeat(8)}`]],
  ["9 levels of all and any", nested(8), ["rule.all[0].any[0].all[0].any[0].all[0].any[0].all[0].any[0]"]],
  ["101 conditions", { all: [{ any: conditions(50) }, { any: conditions(50) }, c] }, ["rule"]],
  ["a string of 501 characters", when("locale", "eq", long), ["rule.value"]],
  [
    "contains 501 characters, deep",
    { any: [c, { all: [when("attributes.note", "contains", long)] }] },
    ["rule.any[1].all[0].value"],
  ],
  ["a list item of 501 characters", when("attributes.note", "in", ["ok", long]), ["rule.value[1]"]],
  ["a NUL in a string", when("locale", "eq", "en\u0000"), ["rule.value"]],
  [
    "three problems at three depths",
    { all: [when("nope", "eq", 1), { any: [when("tier", "gt", "x"), { not: when("rfm.r", "eq", 9) }] }] },
    ["rule.all[0].field", "rule.all[1].any[0].op", "rule.all[1].any[1].not.value"],
  ],
  ["a string for a rule", "tier = gold", ["rule"]],
  ["a list for a rule", [c], ["rule"]],
];

/** The paths of a 400 `validation_failed`. */
const paths = (answer: Answer, what: string) =>
  expectProblem(answer, 400, "validation_failed", what).errors?.map((error) => error.path);

/** A program with a dynamic segment and a static list holding its member M, and every segment route to call. */
async function segmentedProgram(gw: Gateway) {
  const program = await setupProgram(gw);
  await program.enrol("M");
  const segments = `/v1/programs/${program.programId}/segments`;
  const create = (body: Record<string, unknown>, as: Credential = program.owner) =>
    gw.call("POST", segments, { as, body });
  const dynamic = expectBody(
    await create({ name: "Dynamic", type: "dynamic", rule: when("balance.available", "eq", 0) }),
    op.createSegment,
    201,
  );
  const list = expectBody(await create({ name: "List", type: "static" }), op.createSegment, 201);
  expectBody(
    await gw.call("POST", `/v1/segments/${list.id}/members`, { as: program.owner, body: { external_ids: ["M"] } }),
    op.addSegmentMembers,
    200,
  );
  /** Every segment route of the program, as `as` calls it (deleting the list last), answering what it answered. */
  const routes = (as: Credential): [string, () => Promise<Answer>][] => [
    ["GET segment", () => gw.call("GET", `/v1/segments/${dynamic.id}`, { as })],
    ["PATCH segment", () => gw.call("PATCH", `/v1/segments/${dynamic.id}`, { as, body: { name: "Mine" } })],
    ["GET members", () => gw.call("GET", `/v1/segments/${dynamic.id}/members`, { as })],
    ["GET members.csv", () => gw.call("GET", `/v1/segments/${list.id}/members.csv`, { as })],
    ["POST members", () => gw.call("POST", `/v1/segments/${list.id}/members`, { as, body: { external_ids: ["M"] } })],
    ["DELETE member", () => gw.call("DELETE", `/v1/segments/${list.id}/members/M`, { as })],
    ["GET program segments", () => gw.call("GET", segments, { as })],
    ["POST program segments", () => create({ name: "Mine", type: "static" }, as)],
    [
      "POST preview",
      () => gw.call("POST", "/v1/segments/preview", { as, body: { program_id: program.programId, rule: c } }),
    ],
    ["GET member segments", () => gw.call("GET", `/v1/programs/${program.programId}/members/M/segments`, { as })],
    ["DELETE segment", () => gw.call("DELETE", `/v1/segments/${list.id}`, { as })],
  ];
  /** What the program's segments are: the list, each segment, and the static list's members. */
  const snapshot = async () => ({
    list: expectBody(await gw.call("GET", segments, { as: program.owner }), op.listSegments, 200),
    members: expectBody(
      await gw.call("GET", `/v1/segments/${list.id}/members`, { as: program.owner }),
      op.listSegmentMembers,
      200,
    ).data.map((member) => member.external_id),
  });
  return { ...program, dynamic, list, create, routes, snapshot, before: await snapshot() };
}

/** Issue 17, "how it will be checked": malformed rules answered with their paths, other partners' segments out of reach. */
export function segmentAccessScenarios(target: Target) {
  const gw = connect(target);

  describe("hostile rules", () => {
    it("refuses each malformed rule with 400 naming its paths, on create, PATCH and preview, writing nothing", async () => {
      const program = await segmentedProgram(gw);
      target.clock.advance(60_000);
      for (const [what, rule, expected] of hostileRules) {
        const created = await program.create({ name: "Bad", type: "dynamic", rule });
        expect.soft(paths(created, `create ${what}`), `create ${what}`).toEqual(expected);
        const patched = await gw.call("PATCH", `/v1/segments/${program.dynamic.id}`, {
          as: program.owner,
          body: { rule },
        });
        expect.soft(paths(patched, `PATCH ${what}`), `PATCH ${what}`).toEqual(expected);
        const previewed = await gw.call("POST", "/v1/segments/preview", {
          as: program.owner,
          body: { program_id: program.programId, rule },
        });
        expect.soft(paths(previewed, `preview ${what}`), `preview ${what}`).toEqual(expected);
      }
      expect(await program.snapshot()).toEqual(program.before);
    });

    it("takes the limits themselves: 8 levels, 100 conditions, 100 values, 500 characters", async () => {
      const program = await segmentedProgram(gw);
      // M has no tier, no locale and no attributes: what each selects of it.
      const limits: [unknown, number][] = [
        [negated(c, 7), 1],
        [nested(7), 0],
        [{ all: [{ any: conditions(40) }, { any: conditions(40) }, { all: conditions(20) }] }, 1],
        [
          when(
            "locale",
            "in",
            conditions(100).map((_, n) => `l${n}`),
          ),
          0,
        ],
        [{ any: [when("attributes.note", "eq", "a".repeat(500)), when("tier", "contains", "'; drop table --")] }, 0],
      ];
      for (const [rule, count] of limits) {
        const previewed = await gw.call("POST", "/v1/segments/preview", {
          as: program.owner,
          body: { program_id: program.programId, rule },
        });
        expect(expectBody(previewed, op.previewSegment, 200).member_count, JSON.stringify(rule)).toBe(count);
      }
      expect(await program.snapshot()).toEqual(program.before);
    });
  });

  describe("who may reach segments", () => {
    it("answers 404 on every segment route to another partner, even with its own program, and changes nothing", async () => {
      const program = await segmentedProgram(gw);
      const stranger = await setupProgram(gw);
      for (const [what, call] of program.routes(stranger.owner)) expectProblem(await call(), 404, "not_found", what);
      // Its own program cannot name the other's segment either: 400, as a deleted one.
      const named = await gw.call("POST", `/v1/programs/${stranger.programId}/segments`, {
        as: stranger.owner,
        body: { name: "Theirs", type: "dynamic", rule: when("segment", "eq", program.dynamic.id) },
      });
      expect(paths(named, "a foreign segment")).toEqual(["rule"]);
      expect(await program.snapshot()).toEqual(program.before);
    });

    it("answers 403 to a partner with only an agreement, and to the owner's token without programs:manage", async () => {
      const program = await segmentedProgram(gw);
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      for (const [what, call] of program.routes(grocer)) expectProblem(await call(), 403, "forbidden", what);
      const token = await gw.token(program.owner, "members:read points:earn");
      const narrowed = await gw.call("GET", `/v1/segments/${program.dynamic.id}`, { token });
      expectProblem(narrowed, 403, "forbidden");
      expect(await program.snapshot()).toEqual(program.before);
    });

    it("lets the operator do all of it", async () => {
      const program = await segmentedProgram(gw);
      const statuses: Record<string, number> = {};
      for (const [what, call] of program.routes(gw.operator)) statuses[what] = (await call()).status;
      expect(statuses).toEqual({
        "GET segment": 200,
        "PATCH segment": 200,
        "GET members": 200,
        "GET members.csv": 200,
        "POST members": 200,
        "DELETE member": 200,
        "GET program segments": 200,
        "POST program segments": 201,
        "POST preview": 200,
        "GET member segments": 200,
        "DELETE segment": 200,
      });
      const after = expectBody(
        await gw.call("GET", `/v1/programs/${program.programId}/segments`, { as: program.owner }),
        op.listSegments,
        200,
      );
      expect(after.data.map((segment) => [segment.name, segment.type]).sort()).toEqual([
        ["Mine", "dynamic"],
        ["Mine", "static"],
      ]);
    });
  });
}
