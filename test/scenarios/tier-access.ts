import { describe, expect, it } from "vitest";
import { addAgreement, onboardPartner } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import * as op from "./routes";
import type { Answer, Target } from "./target";
import { table, tieredProgram as tieredProgramOf } from "./tier-fixtures";

/** A table whose Silver tier (tiers[1]) has `changes` merged in. */
const withSilver = (changes: Record<string, unknown>) => ({
  ...table,
  tiers: table.tiers.map((tier, index) => (index === 1 ? { ...tier, ...changes } : tier)),
});

/** Tier tables the gateway refuses before reading the program, with the paths its 400 names. */
const hostileTables: [string, unknown, string[]][] = [
  [
    "51 tiers",
    {
      tiers: Array.from({ length: 51 }, (_, n) => ({
        key: `t${n}`,
        name: `T${n}`,
        ...(n > 0 ? { min_points: n } : {}),
      })),
    },
    ["tiers"],
  ],
  ["a key in upper case", withSilver({ key: "Silver" }), ["tiers[1].key"]],
  ["a key starting with _", withSilver({ key: "_silver" }), ["tiers[1].key"]],
  ["a key of 41 characters", withSilver({ key: "s".repeat(41) }), ["tiers[1].key"]],
  ["a key with a space", withSilver({ key: "sil ver" }), ["tiers[1].key"]],
  ["an empty key", withSilver({ key: "" }), ["tiers[1].key"]],
  ["an empty name", withSilver({ name: "  " }), ["tiers[1].name"]],
  ["a negative minimum", withSilver({ min_points: -1000 }), ["tiers[1].min_points"]],
  ["a zero minimum", withSilver({ min_purchases: 0 }), ["tiers[1].min_purchases"]],
  ["a huge minimum", withSilver({ min_spend_minor: 1e13 }), ["tiers[1].min_spend_minor"]],
  ["an unsafe integer", withSilver({ min_points: 2 ** 53 + 2 }), ["tiers[1].min_points"]],
  ["a fraction", withSilver({ min_points: 999.5 }), ["tiers[1].min_points"]],
  ["a string for a number", withSilver({ min_points: "1000" }), ["tiers[1].min_points"]],
  ["an accrual over 1000%", withSilver({ earn_bonus_bps: 100_001 }), ["tiers[1].earn_bonus_bps"]],
  ["a negative accrual", withSilver({ earn_bonus_bps: -1 }), ["tiers[1].earn_bonus_bps"]],
  ["a negative upgrade bonus", withSilver({ upgrade_bonus_points: -100 }), ["tiers[1].upgrade_bonus_points"]],
  ["a huge upgrade bonus", withSilver({ upgrade_bonus_points: 1e12 }), ["tiers[1].upgrade_bonus_points"]],
  ["an unknown field in a tier", withSilver({ colour: "silver" }), ["tiers[1]"]],
  ["an unknown field", { ...table, currency: "USD" }, ["body"]],
  ["a window under 30 days", { ...table, qualification_window_days: 29 }, ["qualification_window_days"]],
  ["a window over 1095 days", { ...table, qualification_window_days: 1096 }, ["qualification_window_days"]],
  ["a window as a string", { ...table, qualification_window_days: "365" }, ["qualification_window_days"]],
  ["no tiers field", { qualification_window_days: 30 }, ["tiers"]],
  ["tiers as a string", { tiers: "gold" }, ["tiers"]],
  ["an array for a body", [table], ["body"]],
  ["a number too large for a double", `{"tiers":[{"key":"a","name":"A","min_points":1e400}]}`, ["tiers[0].min_points"]],
];

/** Manual tier bodies the gateway refuses, with the paths its 400 names. */
const hostileManualTiers: [string, unknown, string[]][] = [
  ["an unknown tier key", { tier_key: "diamond", reason: "x" }, ["tier_key"]],
  ["a tier key in upper case", { tier_key: "GOLD", reason: "x" }, ["tier_key"]],
  ["a number for the tier key", { tier_key: 2, reason: "x" }, ["tier_key"]],
  ["no tier key", { reason: "x" }, ["tier_key"]],
  ["no reason", { tier_key: "gold" }, ["reason"]],
  ["an empty reason", { tier_key: "gold", reason: " " }, ["reason"]],
  ["a reason of 501 characters", { tier_key: "gold", reason: "r".repeat(501) }, ["reason"]],
  ["a date without a time", { tier_key: "gold", held_until: "2999-01-01", reason: "x" }, ["held_until"]],
  ["a time without an offset", { tier_key: "gold", held_until: "2999-01-01T00:00:00", reason: "x" }, ["held_until"]],
  ["words for a date", { tier_key: "gold", held_until: "tomorrow", reason: "x" }, ["held_until"]],
  ["a number for a date", { tier_key: "gold", held_until: 32_503_680_000_000, reason: "x" }, ["held_until"]],
  ["a date in the past", { tier_key: "gold", held_until: "2000-01-01T00:00:00Z", reason: "x" }, ["held_until"]],
  ["an unknown field", { tier_key: "gold", reason: "x", upgrade_bonus: true }, ["body"]],
];

/** The distinct paths a 400 names (a value can break two rules of one field). */
const paths = (answer: Answer, what: string) => [
  ...new Set(expectProblem(answer, 400, "validation_failed", what).errors?.map((error) => error.path)),
];

/** Issue 16, item 6: who may read and write a program's tiers, and what the tier routes refuse. */
export function tierAccessScenarios(target: Target) {
  const gw = connect(target);

  /** A tiered program, one Silver member, and what GET answers of both now, to compare after refusals. */
  async function tieredMember() {
    const program = await tieredProgramOf(gw);
    const { externalId } = await program.enrol();
    await program.earn(externalId, 1000);
    const snapshot = async () => ({
      table: await program.tierTable(),
      tier: await program.tierOf(externalId),
      history: await program.history(externalId),
    });
    return { ...program, externalId, before: await snapshot(), snapshot };
  }

  describe("who may read and write tiers", () => {
    it("answers 404 on every tier route to a partner without an agreement, and changes nothing", async () => {
      const program = await tieredMember();
      const stranger = await onboardPartner(gw);
      expectProblem(await program.putTiers({ tiers: [] }, stranger), 404, "not_found");
      expectProblem(await program.getTiers(stranger), 404, "not_found");
      expectProblem(
        await program.setTier(program.externalId, { tier_key: "gold", reason: "x" }, stranger),
        404,
        "not_found",
      );
      expect(await program.snapshot()).toEqual(program.before);
    });

    it("lets a partner with an agreement read the tiers but not set them nor a member's tier (403)", async () => {
      const program = await tieredMember();
      const grocer = await onboardPartner(gw);
      await addAgreement(gw, program.programId, grocer.id);
      expect(expectBody(await program.getTiers(grocer), op.getTiers, 200)).toEqual(program.before.table);
      expectProblem(await program.putTiers({ tiers: [] }, grocer), 403, "forbidden");
      expectProblem(
        await program.setTier(program.externalId, { tier_key: "gold", reason: "x" }, grocer),
        403,
        "forbidden",
      );
      expect(await program.snapshot()).toEqual(program.before);
      // The operator reads them too.
      expect(expectBody(await program.getTiers(gw.operator), op.getTiers, 200)).toEqual(program.before.table);
    });

    it("needs programs:manage to write: the owner's members:read token reads but does not write", async () => {
      const program = await tieredMember();
      const token = await gw.token(program.owner, "members:read");
      const tiersPath = `/v1/programs/${program.programId}/tiers`;
      expectBody(await gw.call("GET", tiersPath, { token }), op.getTiers, 200);
      expectProblem(await gw.call("PUT", tiersPath, { token, body: { tiers: [] } }), 403, "forbidden");
      const set = await gw.call("POST", `/v1/programs/${program.programId}/members/${program.externalId}/tier`, {
        token,
        body: { tier_key: "gold", reason: "x" },
      });
      expectProblem(set, 403, "forbidden");
      expect(await program.snapshot()).toEqual(program.before);
    });

    it("answers 404 for an unknown program or member", async () => {
      const program = await tieredMember();
      const unknown = "/v1/programs/prg_00000000000000000000000000/tiers";
      expectProblem(await gw.call("GET", unknown, { as: program.owner }), 404, "not_found");
      expectProblem(await gw.call("PUT", unknown, { as: program.owner, body: table }), 404, "not_found");
      expectProblem(await program.setTier("nobody", { tier_key: "gold", reason: "x" }), 404, "not_found");
      expect(await program.snapshot()).toEqual(program.before);
    });
  });

  describe("hostile tier input", () => {
    it("refuses each malformed tier table with 400 naming its path, and changes nothing", async () => {
      const program = await tieredMember();
      for (const [what, body, expected] of hostileTables)
        expect(paths(await program.putTiers(body), what), what).toEqual(expected);
      expect(await program.snapshot()).toEqual(program.before);
    });

    it("refuses each malformed manual tier with 400 naming its path, and changes nothing", async () => {
      const program = await tieredMember();
      for (const [what, body, expected] of hostileManualTiers)
        expect(paths(await program.setTier(program.externalId, body), what), what).toEqual(expected);
      expect(await program.snapshot()).toEqual(program.before);
    });
  });
}
