import { describe, expect, it } from "vitest";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import { catalogueProgram } from "./rewards-fixtures";
import * as op from "./routes";
import type { Target } from "./target";

const header = "sku,name,type,points_price,fulfilment,active";

/** Issue 19, catalogue import: CSV product lists with quoting, BOMs, bad rows by line, upserts, dry runs, 5,000 rows. */
export function rewardImportScenarios(target: Target) {
  const size = 5_000;
  const gw = connect(target);

  describe("importing a product list", () => {
    it("reads a BOM, CRLF lines, quoted commas, quotes and line breaks, tiers, translations and formula cells as sent", async () => {
      const p = await catalogueProgram(gw);
      const csv = [
        "\uFEFFsku,name,description,type,points_price,tiers,stock,per_member_limit,fulfilment,fulfilling_partner_id,available_from,available_until,active,name.pt-BR,description.pt-BR,name.ru",
        `ESP-1,"Espresso machine, 15 bar","Says ""wow""\r\nand more",product,25000,silver|gold,40,1,partner,${p.grocer.id},2026-06-01T00:00:00Z,2026-12-31T23:00:00-01:00,true,Máquina de espresso,"Linha 1\r\nLinha 2",Кофемашина`,
        '"=HYPERLINK(""http://evil"")",=1+2,@SUM(A1),voucher,500,,,,code,,,,TRUE,,,',
        "",
        "DON-1,Food bank,,donation,100,,,,manual,,,,false,,,",
      ].join("\r\n");
      expect(await p.imported(csv)).toEqual({ created: 3, updated: 0, errors: [] });
      const [donation, formula, espresso] = await p.catalogue();
      expect(espresso).toMatchObject({
        sku: "ESP-1",
        name: "Espresso machine, 15 bar",
        description: 'Says "wow"\r\nand more',
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
          "pt-BR": { name: "Máquina de espresso", description: "Linha 1\r\nLinha 2" },
          ru: { name: "Кофемашина", description: null },
        },
      });
      // Stored as sent: the CSV exports neutralise formula cells, the catalogue keeps what the partner wrote.
      expect(formula).toMatchObject({
        sku: '=HYPERLINK("http://evil")',
        name: "=1+2",
        description: "@SUM(A1)",
        fulfilment: "code",
        stock: 0,
        active: true,
        tiers: null,
        translations: {},
      });
      expect(donation).toMatchObject({ sku: "DON-1", description: null, active: false, stock: null });
    });

    it("upserts by sku: new skus created, known ones changed in the cells given, the rest kept", async () => {
      const p = await catalogueProgram(gw);
      const kept = await p.created({ sku: "ESP-1", stock: 40 });
      target.clock.advance(60_000);
      const csv = [
        "sku,name,points_price,stock,name.ru,description.pt-BR,type,fulfilment,active",
        "ESP-1,,19900,,Новое имя,Nova descrição,,,",
        "NEW-1,Cinema ticket,800,,,,experience,manual,true",
      ].join("\n");
      expect(await p.imported(csv)).toEqual({ created: 1, updated: 1, errors: [] });
      const changed = expectBody(await p.get(kept.id), op.getReward, 200);
      expect(changed).toEqual({
        ...kept,
        points_price: 19_900,
        translations: {
          en: kept.translations.en,
          "pt-BR": { name: "Máquina de espresso", description: "Nova descrição" },
          ru: { name: "Новое имя", description: null },
        },
        updated_at: target.clock.now().toISOString(),
      });
      expect(await p.skus()).toEqual(["NEW-1", "ESP-1"]);
      // The same file again: both known now.
      expect(await p.imported(csv)).toEqual({ created: 0, updated: 2, errors: [] });
    });

    it("answers every bad row with its physical line and writes nothing", async () => {
      const p = await catalogueProgram(gw);
      const known = await p.created({ sku: "KNOWN", fulfilment: "code", stock: null });
      const csv = [
        `${header},tiers,stock,fulfilling_partner_id,available_from,available_until`, // 1
        'GOOD-1,"A name over',
        'two lines",voucher,100,manual,true,,,,,', // 2-3
        "BAD-TYPE,Thing,coupon,100,manual,true,,,,,", // 4
        "BAD-PRICE,Thing,product,0,manual,true,,,,,", // 5
        "BAD-TIER,Thing,product,10,manual,true,gold|platinum,,,,", // 6
        "GOOD-1,Again,product,10,manual,true,,,,,", // 7
        "SHORT,Thing,product", // 8
        "CODE-STOCK,Thing,voucher,10,code,true,,5,,,", // 9
        ",Nameless,product,10,manual,yes,,,,,", // 10
        "NO-NAME,,product,10,manual,true,,,,,", // 11
        "STRANGER,Thing,product,10,partner,true,,,ptn_nope,,", // 12
        "DATES,Thing,product,10,manual,true,,,,2026-06-02T00:00:00Z,2026-06-01T00:00:00Z", // 13
        "KNOWN,,,,,,,7,,,", // 14: its stock is its codes
        'QUOTED,"multi', // 15
        'line, with ""quotes""",product,1.5,manual,true,,,,,', // 15-16
      ].join("\n");
      const answer = await p.imported(csv);
      expect([answer.created, answer.updated]).toEqual([0, 0]);
      expect(answer.errors.map((error) => error.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 13, 14, 15]);
      const byLine = (line: number) => answer.errors.filter((error) => error.line === line).map((e) => e.message);
      expect(byLine(4)[0]).toMatch(/^type: /);
      expect(byLine(5)[0]).toMatch(/^points_price: /);
      expect(byLine(6)).toEqual([`tiers[1]: platinum is not a tier of ${p.programId} (its tiers: blue, silver, gold)`]);
      expect(byLine(7)).toEqual(["sku: GOOD-1 is on line 2 already"]);
      expect(byLine(8)).toEqual(["has 3 cells; the header has 11 columns"]);
      expect(byLine(9)[0]).toMatch(/^stock: must be null for a code reward/);
      expect(
        byLine(10)
          .map((message) => message.split(":")[0])
          .sort(),
      ).toEqual(["active", "sku"]);
      expect(byLine(11)[0]).toMatch(/^name: /);
      expect(byLine(12)[0]).toMatch(/^fulfilling_partner_id: ptn_nope is not a partner with an agreement/);
      expect(byLine(13)[0]).toMatch(/^available_until: must be after available_from/);
      expect(byLine(14)[0]).toMatch(/^stock: must be null for a code reward/);
      expect(byLine(15)[0]).toMatch(/^points_price: /);
      expect(await p.catalogue()).toEqual([known]);
      // The same file with dry_run answers the same.
      expect(await p.imported(csv, { dryRun: true })).toEqual(answer);
    });

    it("counts lines of CRLF files and of empty lines between rows", async () => {
      const p = await catalogueProgram(gw);
      const csv = `${header}\r\n\r\nA,"one\r\ntwo\r\nthree",product,10,manual,true\r\n\r\n\r\nB,Thing,product,-1,manual,true\r\n`;
      const answer = await p.imported(csv);
      expect(answer.errors.map((error) => error.line)).toEqual([8]);
    });

    it("refuses the header's problems on line 1: unknown and repeated columns, no sku, no header", async () => {
      const p = await catalogueProgram(gw);
      const unknown = await p.imported(`${header},colour,name.fr\nA,Thing,product,10,manual,true,red,Chose\n`);
      expect(unknown.errors).toEqual([
        expect.objectContaining({ line: 1, message: expect.stringMatching(/^unknown column "colour"/) }),
        expect.objectContaining({ line: 1, message: expect.stringMatching(/^unknown column "name.fr"/) }),
      ]);
      const repeated = await p.imported(`${header},name\nA,Thing,product,10,manual,true,Other\n`);
      expect(repeated.errors).toEqual([{ line: 1, message: "column name repeats" }]);
      const skuless = await p.imported("name,type\nThing,product\n");
      expect(skuless.errors).toEqual([{ line: 1, message: "no sku column: rows are matched to rewards by sku" }]);
      expect((await p.imported("")).errors).toEqual([
        { line: 1, message: "the first line must be the header row naming the columns" },
      ]);
      expect((await p.imported("\n\nsku\nA\n")).errors.map((error) => error.line)).toEqual([1]);
      expect(await p.catalogue()).toEqual([]);
      // A header alone is an empty list: nothing to do.
      expect(await p.imported(`${header}\n`)).toEqual({ created: 0, updated: 0, errors: [] });
    });

    it("answers a broken quote with the line its row starts on", async () => {
      const p = await catalogueProgram(gw);
      const unclosed = await p.imported(`${header}\nA,Thing,product,10,manual,true\nB,"never closed,product,10\n`);
      expect(unclosed.errors).toEqual([{ line: 3, message: "a quoted field opened on this line is never closed" }]);
      const stray = await p.imported(`${header}\nA,"Thing"x,product,10,manual,true\n`);
      expect(stray.errors.map((error) => error.line)).toEqual([2]);
      const formula = await p.imported(
        `${header}\nA,Thing,product,10,manual,true\n=HYPERLINK("x"),Y,product,10,manual,true\n`,
      );
      expect(formula.errors).toEqual([
        { line: 3, message: 'a field holding a quote must be quoted whole, its quotes doubled ("=HYPERLINK(""x"")")' },
      ]);
      expect(await p.catalogue()).toEqual([]);
    });

    it("writes nothing on a dry run and answers what it would have done", async () => {
      const p = await catalogueProgram(gw);
      await p.created({ sku: "KNOWN" });
      const csv = `${header}\nKNOWN,Renamed,,,,\nNEW,Thing,product,10,manual,true\n`;
      const before = await p.catalogue();
      expect(await p.imported(csv, { dryRun: true })).toEqual({ created: 1, updated: 1, errors: [] });
      expect(await p.catalogue()).toEqual(before);
      const dry = await p.importCsv(csv, { dryRun: false });
      expect(expectBody(dry, op.importRewards, 200)).toEqual({ created: 1, updated: 1, errors: [] });
      expect((await p.catalogue()).map((reward) => reward.name)).toEqual(["Thing", "Renamed"]);
    });

    it("takes only text/csv", async () => {
      const p = await catalogueProgram(gw);
      expectProblem(await p.importCsv(`${header}\n`, { type: "application/json" }), 415, "unsupported_media_type");
      expectProblem(await p.importCsv(`${header}\n`, { type: "text/plain" }), 415, "unsupported_media_type");
      const query = await gw.call("POST", `${p.rewardsPath}/import?dry_run=maybe`, {
        as: p.owner,
        headers: { "Content-Type": "text/csv" },
        body: `${header}\n`,
      });
      expectProblem(query, 400, "validation_failed");
    });

    it(`imports ${size.toLocaleString("en")} rows in one atomic write, then updates them all`, async () => {
      const p = await catalogueProgram(gw);
      const rows = Array.from(
        { length: size },
        (_, i) =>
          `SKU-${String(i).padStart(5, "0")},"Reward ${i}, a long name to weigh the file",voucher,${100 + i},partner,true,gold|silver,${i},Prémio ${i},Награда ${i}`,
      );
      const csv = [`${header},tiers,stock,name.pt-BR,name.ru`, ...rows].join("\n");
      expect(await p.imported(csv)).toEqual({ created: size, updated: 0, errors: [] });
      const counted = await gw.rows<{ n: number; stock: number }>(
        "select count(*) as n, sum(stock) as stock from rewards where program_id = ?",
        p.programId,
      );
      expect(counted).toEqual([{ n: size, stock: (size * (size - 1)) / 2 }]);
      const last = size - 1;
      const newest = (await p.catalogue())[0];
      expect(newest).toMatchObject({
        sku: `SKU-${String(last).padStart(5, "0")}`,
        name: `Reward ${last}, a long name to weigh the file`,
        points_price: 100 + last,
        stock: last,
        tiers: ["gold", "silver"],
        translations: { "pt-BR": { name: `Prémio ${last}` }, ru: { name: `Награда ${last}` } },
      });
      // One bad row among them: nothing of the others is written.
      const broken = [
        ...rows.map((row) => row.replace(",voucher,", ",product,")),
        "SKU-BAD,Thing,product,0,manual,true,,,,",
      ];
      const answer = await p.imported([`${header},tiers,stock,name.pt-BR,name.ru`, ...broken].join("\n"));
      expect(answer.errors.map((error) => error.line)).toEqual([size + 2]);
      expect(await gw.rows("select type from rewards where program_id = ? and type <> 'voucher'", p.programId)).toEqual(
        [],
      );
      const updated = await p.imported([`${header},tiers,stock,name.pt-BR,name.ru`, ...broken.slice(0, -1)].join("\n"));
      expect(updated).toEqual({ created: 0, updated: size, errors: [] });
      expect(
        await gw.rows("select count(*) as n from rewards where program_id = ? and type = 'product'", p.programId),
      ).toEqual([{ n: size }]);
      await expectLedgerInvariants(target.rows);
    });
  });
}
