import { describe, expect, it } from "vitest";
import { onboardPartner } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import { problemPaths } from "./promotion-crud-fixtures";
import { type CatalogueProgram, catalogueProgram, productReward } from "./rewards-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

/**
 * Hostile rewards (API-programs.md "Rewards catalogue and redemptions"): changes to a valid create (undefined leaves
 * a field out) with the paths the 400 must name. `p` gives the program's partners.
 */
const hostile = (p: CatalogueProgram): [string, Record<string, unknown>, string[]][] => [
  ["an empty sku", { sku: "" }, ["sku"]],
  ["a sku of 65 characters", { sku: "S".repeat(65) }, ["sku"]],
  ["a sku with a line break", { sku: "ESP\n100" }, ["sku"]],
  ["a sku with a tab", { sku: "ESP\t100" }, ["sku"]],
  ["a sku starting with a space", { sku: " ESP-100" }, ["sku"]],
  ["no sku", { sku: undefined }, ["sku"]],
  ["an empty name", { name: "   " }, ["name"]],
  ["a name of 201 characters", { name: "n".repeat(201) }, ["name"]],
  ["a description of 2001 characters", { description: "d".repeat(2001) }, ["description"]],
  ["an unknown type", { type: "coupon" }, ["type"]],
  ["no type", { type: undefined }, ["type"]],
  ["a price of 0", { points_price: 0 }, ["points_price"]],
  ["a negative price", { points_price: -5 }, ["points_price"]],
  ["a fractional price", { points_price: 1.5 }, ["points_price"]],
  ["a price above a billion points", { points_price: 1_000_000_001 }, ["points_price"]],
  ["a price past 2^53", { points_price: 2 ** 53 }, ["points_price"]],
  ["a price as a string", { points_price: "100" }, ["points_price"]],
  ["an unknown tier", { tiers: ["gold", "platinum"] }, ["tiers[1]"]],
  ["no tier at all", { tiers: [] }, ["tiers"]],
  ["a repeated tier", { tiers: ["gold", "silver", "gold"] }, ["tiers[2]"]],
  ["an empty tier key", { tiers: [""] }, ["tiers[0]"]],
  ["a negative stock", { stock: -1 }, ["stock"]],
  ["a fractional stock", { stock: 2.5 }, ["stock"]],
  ["stock on a code reward", { fulfilment: "code", stock: 10 }, ["stock"]],
  ["a member limit of 0", { per_member_limit: 0 }, ["per_member_limit"]],
  ["an unknown fulfilment", { fulfilment: "email" }, ["fulfilment"]],
  ["no fulfilment", { fulfilment: undefined }, ["fulfilment"]],
  ["a partner without an agreement", { fulfilling_partner_id: p.stranger.owner.id }, ["fulfilling_partner_id"]],
  ["an unknown partner", { fulfilling_partner_id: "ptn_nope" }, ["fulfilling_partner_id"]],
  ["an empty partner id", { fulfilling_partner_id: "" }, ["fulfilling_partner_id"]],
  ["an end before the start", { available_until: "2026-05-31T00:00:00Z" }, ["available_until"]],
  [
    "an end equal to the start, in another offset",
    { available_until: "2026-06-01T02:00:00+02:00" },
    ["available_until"],
  ],
  ["a start that is no instant", { available_from: "tomorrow" }, ["available_from"]],
  ["no active", { active: undefined }, ["active"]],
  ["active as a word", { active: "yes" }, ["active"]],
  ["an unknown locale", { translations: { fr: { name: "Machine à espresso" } } }, ["translations"]],
  ["a translation without its name", { translations: { ru: { description: "Кофе" } } }, ["translations.ru.name"]],
  ["an empty translated name", { translations: { "pt-BR": { name: " " } } }, ["translations.pt-BR.name"]],
  ["an unknown field", { colour: "red" }, ["body"]],
  [
    "three problems at once",
    { points_price: 0, tiers: ["platinum"], available_until: "2026-01-01T00:00:00Z" },
    ["points_price"],
  ],
  [
    "three problems of the program at once",
    { tiers: ["platinum"], available_until: "2026-01-01T00:00:00Z", fulfilling_partner_id: "ptn_nope" },
    ["available_until", "fulfilling_partner_id", "tiers[0]"],
  ],
];

/** Issue 19, catalogue: rewards, their checks, filters and who reaches them; code pools. */
export function rewardScenarios(target: Target) {
  const gw = connect(target);
  const now = () => target.clock.now().toISOString();

  describe("creating and reading rewards", () => {
    it("creates a reward with every field and answers it as stored, by id and in the list", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created({ sku: "ESP-100" });
      expect(reward).toEqual({
        id: expect.stringMatching(/^rwd_/),
        program_id: p.programId,
        sku: "ESP-100",
        name: "Espresso machine",
        description: "Fifteen bars, a milk frother",
        type: "product",
        points_price: 25_000,
        tiers: ["silver", "gold"],
        stock: 40,
        per_member_limit: 1,
        fulfilment: "partner",
        fulfilling_partner_id: p.grocer.id,
        available_from: "2026-06-01T00:00:00.000Z",
        available_until: "2027-01-01T00:00:00.000Z",
        active: true,
        translations: {
          en: { name: "Espresso machine", description: "Fifteen bars" },
          "pt-BR": { name: "Máquina de espresso", description: "Quinze bares, vaporizador" },
          ru: { name: "Кофемашина", description: null },
        },
        created_at: now(),
        updated_at: now(),
      });
      expect(expectBody(await p.get(reward.id), op.getReward, 200)).toEqual(reward);
      expect(await p.catalogue()).toEqual([reward]);
    });

    it("leaves unset what a create leaves out: unlimited, every tier, no limit, dates or translations; the owner fulfils", async () => {
      const p = await catalogueProgram(gw);
      const answer = await p.create({
        sku: "DON-1",
        name: "Donation to the food bank",
        type: "donation",
        points_price: 1_000,
        fulfilment: "manual",
        active: false,
      });
      expect(expectBody(answer, op.createReward, 201)).toMatchObject({
        description: null,
        tiers: null,
        stock: null,
        per_member_limit: null,
        fulfilling_partner_id: null,
        available_from: null,
        available_until: null,
        active: false,
        translations: {},
      });
    });

    it("takes every type, the edges of each range, and a code reward whose stock is its codes", async () => {
      const p = await catalogueProgram(gw);
      for (const type of ["voucher", "product", "service", "experience", "cashback", "donation"])
        expect((await p.created({ type })).type).toBe(type);
      const edges = await p.created({
        sku: "S".repeat(64),
        name: "n".repeat(200),
        description: "d".repeat(2000),
        points_price: 1_000_000_000,
        stock: 0,
        per_member_limit: 1,
        available_from: null,
        available_until: null,
        tiers: null,
      });
      expect([edges.points_price, edges.stock, edges.tiers]).toEqual([1_000_000_000, 0, null]);
      // Printable is any script: the sku is stored as sent.
      expect((await p.created({ sku: "КОФЕ-№1 (große)" })).sku).toBe("КОФЕ-№1 (große)");
      const code = await p.created({ fulfilment: "code", stock: null, type: "voucher" });
      expect(code.stock).toBe(0);
    });

    it("refuses each hostile reward with 400 at its paths and writes nothing", async () => {
      const p = await catalogueProgram(gw);
      for (const [name, changes, paths] of hostile(p)) {
        const answer = await p.create({ ...productReward, fulfilling_partner_id: p.grocer.id, ...changes });
        expectProblem(answer, 400, "validation_failed", name);
        expect(problemPaths(answer), name).toEqual(paths);
      }
      expect(await p.catalogue()).toEqual([]);
    });

    it("keeps sku unique in a program (409, nothing written) but not across programs", async () => {
      const p = await catalogueProgram(gw);
      const first = await p.created({ sku: "GIFT-50" });
      const again = await p.create({ ...productReward, sku: "GIFT-50", name: "Another" });
      expect(expectProblem(again, 409, "conflict").errors).toEqual([
        { path: "sku", message: "is taken by another reward of the program" },
      ]);
      expect(await p.catalogue()).toEqual([first]);
      // Skus differ by case: they are the partner's codes, as sent.
      await p.created({ sku: "gift-50" });
      const elsewhere = await gw.call("POST", `/v1/programs/${p.stranger.programId}/rewards`, {
        as: p.stranger.owner,
        body: { ...productReward, sku: "GIFT-50" },
      });
      expect(expectBody(elsewhere, op.createReward, 201).sku).toBe("GIFT-50");
      // 20 creates of one sku at once: exactly one is written.
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => p.create({ ...productReward, sku: "RACE-1" })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(19).fill(409)]);
      expect(await p.skus()).toEqual(["RACE-1", "gift-50", "GIFT-50"]);
    });

    it("lists newest first in cursor pages, narrowed by active, type and tier", async () => {
      const p = await catalogueProgram(gw);
      await p.created({ sku: "A", tiers: null });
      const b = await p.created({ sku: "B", tiers: ["gold"], type: "voucher", fulfilment: "code", stock: null });
      await p.created({ sku: "C", tiers: ["silver"], active: false });
      const d = await p.created({ sku: "D", tiers: ["blue", "gold"], type: "experience" });
      await p.created({ sku: "E", tiers: null, active: false, type: "voucher" });
      expect(await p.skus()).toEqual(["E", "D", "C", "B", "A"]);
      const first = expectBody(await p.listed("?limit=2"), op.listRewards, 200);
      expect([first.data.map((x) => x.sku), first.has_more]).toEqual([["E", "D"], true]);
      const last = expectBody(await p.listed(`?limit=2&starting_after=${b.id}`), op.listRewards, 200);
      expect([last.data.map((x) => x.sku), last.has_more]).toEqual([["A"], false]);
      expect(await p.skus(`?limit=2&ending_before=${b.id}`)).toEqual(["D", "C"]);
      expect(await p.skus(`?limit=2&ending_before=${d.id}`)).toEqual(["E"]);
      expect(await p.skus("?active=true")).toEqual(["D", "B", "A"]);
      expect(await p.skus("?active=false")).toEqual(["E", "C"]);
      expect(await p.skus("?type=voucher")).toEqual(["E", "B"]);
      expect(await p.skus("?type=voucher&active=true")).toEqual(["B"]);
      // What a tier may redeem: the rewards for every member, and those naming it.
      expect(await p.skus("?tier=gold")).toEqual(["E", "D", "B", "A"]);
      expect(await p.skus("?tier=silver")).toEqual(["E", "C", "A"]);
      expect(await p.skus("?tier=blue&active=true")).toEqual(["D", "A"]);
      expect(await p.skus("?tier=platinum")).toEqual(["E", "A"]);
      expect(await p.skus("?tier=gold&type=experience&active=true")).toEqual(["D"]);
      expect(await p.skus("?type=cashback")).toEqual([]);
      expect(problemPaths(await p.listed("?active=yes"))).toEqual(["active"]);
      expect(problemPaths(await p.listed("?type=coupon"))).toEqual(["type"]);
      expect(problemPaths(await p.listed("?tier="))).toEqual(["tier"]);
      expect(problemPaths(await p.listed("?colour=red"))).toEqual(["query"]);
    });
  });

  describe("changing rewards", () => {
    it("changes only the fields sent, null clears the optional ones, and updated_at moves", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created();
      target.clock.advance(60_000);
      const changed = await p.patched(reward.id, { points_price: 20_000, description: null, tiers: null });
      expect(changed).toEqual({
        ...reward,
        points_price: 20_000,
        description: null,
        tiers: null,
        updated_at: now(),
      });
      const cleared = await p.patched(reward.id, {
        stock: null,
        per_member_limit: null,
        fulfilling_partner_id: null,
        available_from: null,
        available_until: null,
        active: false,
      });
      expect(cleared).toMatchObject({
        stock: null,
        per_member_limit: null,
        fulfilling_partner_id: null,
        available_from: null,
        available_until: null,
        active: false,
      });
      expect(expectBody(await p.get(reward.id), op.getReward, 200)).toEqual(cleared);
      // An empty body changes nothing but updated_at.
      target.clock.advance(1_000);
      expect(await p.patched(reward.id, {})).toEqual({ ...cleared, updated_at: now() });
    });

    it("replaces the translations whole; {} removes them", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created();
      const russian = await p.patched(reward.id, {
        translations: { ru: { name: "Кофемашина", description: "Эспрессо" } },
      });
      expect(russian.translations).toEqual({ ru: { name: "Кофемашина", description: "Эспрессо" } });
      expect((await p.patched(reward.id, { translations: {} })).translations).toEqual({});
    });

    it("sets the stock of a unit reward, and refuses one for a code reward (400 at stock)", async () => {
      const p = await catalogueProgram(gw);
      const units = await p.created({ stock: 5 });
      expect((await p.patched(units.id, { stock: 12 })).stock).toBe(12);
      expect((await p.patched(units.id, { stock: 0 })).stock).toBe(0);
      const code = await p.created({ fulfilment: "code", stock: null });
      expect(problemPaths(await p.patch(code.id, { stock: 3 }))).toEqual(["stock"]);
      // Turning a unit reward into a code reward: its stock must go with it.
      expect(problemPaths(await p.patch(units.id, { fulfilment: "code" }))).toEqual(["stock"]);
      const turned = await p.patched(units.id, { fulfilment: "code", stock: null });
      expect([turned.fulfilment, turned.stock]).toEqual(["code", 0]);
    });

    it("checks a PATCH as the reward will be: 400 at each path, nothing written", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created();
      const refused: [Record<string, unknown>, string[]][] = [
        [{ tiers: ["platinum"] }, ["tiers[0]"]],
        [{ available_until: "2026-06-01T00:00:00Z" }, ["available_until"]],
        [{ available_from: "2027-06-01T00:00:00Z" }, ["available_until"]],
        [{ fulfilling_partner_id: p.stranger.owner.id }, ["fulfilling_partner_id"]],
        [{ points_price: 0, name: "" }, ["name", "points_price"]],
        [{ active: null }, ["active"]],
        [{ sku: null }, ["sku"]],
        [{ type: null }, ["type"]],
        [{ translations: null }, ["translations"]],
        [{ id: "rwd_other" }, ["body"]],
      ];
      for (const [body, paths] of refused) {
        const answer = await p.patch(reward.id, body);
        expectProblem(answer, 400, "validation_failed", JSON.stringify(body));
        expect(problemPaths(answer), JSON.stringify(body)).toEqual(paths);
      }
      expect(expectBody(await p.get(reward.id), op.getReward, 200)).toEqual(reward);
    });

    it("renames a sku to a free one, and refuses another reward's (409)", async () => {
      const p = await catalogueProgram(gw);
      const a = await p.created({ sku: "A-1" });
      const b = await p.created({ sku: "B-1" });
      expectProblem(await p.patch(b.id, { sku: "A-1" }), 409, "conflict");
      expect((await p.patched(b.id, { sku: "B-2" })).sku).toBe("B-2");
      expect((await p.patched(a.id, { sku: "A-1" })).sku).toBe("A-1");
      expect(await p.skus()).toEqual(["B-2", "A-1"]);
    });
  });

  describe("voucher code pools", () => {
    it("adds codes, counting those already in the pool and repeats within the upload as duplicates", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created({ fulfilment: "code", stock: null, type: "voucher" });
      const first = await p.uploadCodes(reward.id, ["AAA-1", "AAA-2", "AAA-1", "=HYPERLINK(1)", " padded "]);
      expect(expectBody(first, op.uploadRewardCodes, 200)).toEqual({ added: 4, duplicates: 1 });
      const second = await p.uploadCodes(reward.id, ["AAA-2", "AAA-3", "aaa-3", "AAA-3"]);
      expect(expectBody(second, op.uploadRewardCodes, 200)).toEqual({ added: 2, duplicates: 2 });
      expect(await p.pool(reward.id)).toEqual([
        "AAA-1:available",
        "AAA-2:available",
        "=HYPERLINK(1):available",
        " padded :available",
        "AAA-3:available",
        "aaa-3:available",
      ]);
      expect(expectBody(await p.get(reward.id), op.getReward, 200).stock).toBe(6);
      expect((await p.catalogue())[0]?.stock).toBe(6);
    });

    it("takes 10,000 codes in one upload and refuses 10,001, empty codes and codes over 200 characters", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created({ fulfilment: "code", stock: null, type: "voucher" });
      const codes = Array.from({ length: 10_000 }, (_, i) => `${"C".repeat(190)}-${String(i).padStart(5, "0")}`);
      expect(expectBody(await p.uploadCodes(reward.id, codes), op.uploadRewardCodes, 200)).toEqual({
        added: 10_000,
        duplicates: 0,
      });
      expect(problemPaths(await p.uploadCodes(reward.id, [...codes, "ONE-MORE"]))).toEqual(["codes"]);
      expect(problemPaths(await p.uploadCodes(reward.id, ["OK", ""]))).toEqual(["codes[1]"]);
      expect(problemPaths(await p.uploadCodes(reward.id, ["X".repeat(201)]))).toEqual(["codes[0]"]);
      expect(problemPaths(await p.uploadCodes(reward.id, []))).toEqual(["codes"]);
      expect(problemPaths(await p.uploadCodes(reward.id, [7]))).toEqual(["codes[0]"]);
      expect(expectBody(await p.get(reward.id), op.getReward, 200).stock).toBe(10_000);
    });

    it("answers 409 invalid_state for a reward not fulfilled by codes, and adds nothing", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created();
      expectProblem(await p.uploadCodes(reward.id, ["AAA-1"]), 409, "invalid_state");
      expect(await p.pool(reward.id)).toEqual([]);
    });

    it("adds each code once when uploads of the same codes race", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created({ fulfilment: "code", stock: null, type: "voucher" });
      const codes = Array.from({ length: 50 }, (_, i) => `RACE-${i}`);
      const answers = await Promise.all(Array.from({ length: 10 }, () => p.uploadCodes(reward.id, codes)));
      const counts = answers.map((answer) => expectBody(answer, op.uploadRewardCodes, 200));
      expect(counts.reduce((sum, c) => sum + c.added, 0)).toBe(50);
      expect(counts.reduce((sum, c) => sum + c.duplicates, 0)).toBe(450);
      expect((await p.pool(reward.id)).length).toBe(50);
    });
  });

  describe("who reaches the catalogue", () => {
    it("lets a partner with an agreement read it and refuses it every write (403)", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created({ fulfilment: "code", stock: null });
      expect(await p.skus("", p.grocer)).toEqual([reward.sku]);
      expect(expectBody(await p.get(reward.id, p.grocer), op.getReward, 200)).toEqual(reward);
      expectProblem(await p.create({ ...productReward, sku: "MINE" }, p.grocer), 403, "forbidden");
      expectProblem(await p.patch(reward.id, { points_price: 1 }, p.grocer), 403, "forbidden");
      expectProblem(await p.uploadCodes(reward.id, ["X"], p.grocer), 403, "forbidden");
      expectProblem(await p.importCsv("sku,name\nX,Y\n", { as: p.grocer }), 403, "forbidden");
      expect(await p.catalogue()).toEqual([reward]);
      expect(await p.pool(reward.id)).toEqual([]);
    });

    it("answers 404 to a partner without an agreement, reading or writing, and tells nothing of the reward", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created({ fulfilment: "code", stock: null });
      const other = await onboardPartner(gw);
      for (const answer of [
        await p.listed("", other),
        await p.get(reward.id, other),
        await p.create({ ...productReward, sku: "MINE" }, other),
        await p.patch(reward.id, { points_price: 1 }, other),
        await p.uploadCodes(reward.id, ["X"], other),
        await p.importCsv("sku,name\nX,Y\n", { as: other }),
      ]) {
        expectProblem(answer, 404, "not_found");
        expect(answer.text).not.toContain(reward.sku);
      }
      expectProblem(await p.get("rwd_nope"), 404, "not_found");
      expect(await p.catalogue()).toEqual([reward]);
    });

    it("lets the operator do everything on any program", async () => {
      const p = await catalogueProgram(gw);
      const made = await p.create({ ...productReward, fulfilling_partner_id: p.grocer.id }, gw.operator);
      const reward = expectBody(made, op.createReward, 201);
      expect((await p.patch(reward.id, { active: false }, gw.operator)).status).toBe(200);
      expect(await p.skus("", gw.operator)).toEqual([reward.sku]);
      expect(expectBody(await p.get(reward.id, gw.operator), op.getReward, 200).active).toBe(false);
    });

    it("lets a token with members:read alone read the catalogue, and not write it", async () => {
      const p = await catalogueProgram(gw);
      const reward = await p.created();
      const token = await gw.token(p.grocer, "members:read");
      const listed = await gw.call("GET", p.rewardsPath, { token });
      expect(expectBody(listed, op.listRewards, 200).data.map((r) => r.id)).toEqual([reward.id]);
      const ownerToken = await gw.token(p.owner, "members:read points:burn");
      expectProblem(
        await gw.call("PATCH", `/v1/rewards/${reward.id}`, { token: ownerToken, body: { active: false } }),
        403,
        "forbidden",
      );
      await expectLedgerInvariants(target.rows);
    });
  });
}
