import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../gateway/src/auth/secrets";
import { csvSections, sumDecimals } from "../support/csv";
import { pdfText } from "../support/pdf";
import type { Partner } from "./fixtures";
import { addAgreement, onboardPartner, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem } from "./harness";
import { expectLedgerInvariants } from "./invariants";
import * as op from "./routes";
import type { Target } from "./target";

const MINUTE = 60_000;

/**
 * Settlement periods and statements: closing prices every movement with its agreement (a known answer), closed
 * statements stay as issued, concurrent closes, refused periods, and the CSV and PDF downloads.
 */
export function settlementScenarios(target: Target) {
  const gw = connect(target);
  /** Where the first period starts: before anything the scenarios move. */
  let periodStart: string | undefined;

  const close = (start: string, end = gw.clock.now().toISOString()) =>
    gw.call("POST", "/v1/settlement-periods", { as: gw.operator, body: { start, end } });

  /**
   * A hotel program (USD, issue 12,000 micros, redeem 10,000) and a grocer with its own agreement in it
   * (issue 11,000, redeem 9,000). The grocer is named like a spreadsheet formula, to test CSV neutralisation.
   */
  async function coalition() {
    periodStart ??= gw.clock.now().toISOString();
    const hotel = await setupProgram(gw, {
      name: "Harbor Rewards",
      issue_price_micros: 12_000,
      redeem_price_micros: 10_000,
    });
    const grocer = await onboardPartner(gw, { name: '=HYPERLINK("http://evil.example","Grocer")' });
    await addAgreement(gw, hotel.programId, grocer.id, { issue_price_micros: 11_000, redeem_price_micros: 9_000 });
    return { hotel, grocer };
  }

  /** The statements of the first period, read again by later scenarios. */
  let first: { hotelStatement: string; grocerStatement: string; grocer: Partner; hotel: Partner } | undefined;
  const firstPeriod = () => {
    if (!first) throw new Error("the known-answer scenario closes the first period");
    return first;
  };

  describe("closing a settlement period", () => {
    it("issues each partner a statement whose lines price every movement with its agreement (known answer)", async () => {
      const { hotel, grocer } = await coalition();
      const { externalId } = await hotel.enrol();
      const earned = await hotel.earn(externalId, 1_000, { as: grocer });
      await hotel.earn(externalId, 500); // the hotel issuing its own points: a memo line
      await hotel.burn(externalId, 300, { as: grocer });
      expectBody(
        await hotel.reverse(earned.id, { points: 100, reason: "returned goods" }, grocer),
        op.reverseTransaction,
        201,
      );
      gw.clock.advance(MINUTE);

      const closed = expectBody(await close(periodStart ?? ""), op.closeSettlementPeriod, 201);
      const byPartner = new Map(closed.statements.map((s) => [s.partner_id, s]));
      const grocerSummary = byPartner.get(grocer.id);
      const hotelSummary = byPartner.get(hotel.owner.id);
      expect(grocerSummary).toMatchObject({ currency: "USD", net_amount_minor: -720 });
      expect(hotelSummary).toMatchObject({ currency: "USD", net_amount_minor: 720 });

      const statement = expectBody(
        await gw.call("GET", `/v1/settlements/${grocerSummary?.id}`, { as: grocer }),
        op.getSettlement,
        200,
      );
      const counterparty = { id: hotel.owner.id, name: hotel.owner.name };
      const program = { id: hotel.programId, name: "Harbor Rewards" };
      expect(statement.lines).toEqual([
        {
          kind: "points_issued",
          direction: "payable",
          counterparty,
          program,
          points: 900, // 1,000 earned, 100 reversed: netted
          price_micros: 11_000,
          amount_minor: 990,
        },
        {
          kind: "points_redeemed",
          direction: "receivable",
          counterparty,
          program,
          points: 300,
          price_micros: 9_000,
          amount_minor: 270,
        },
      ]);
      expect(statement.totals).toEqual({
        receivable_minor: 270,
        payable_minor: 990,
        memo_minor: 0,
        net_amount_minor: -720,
      });
      const { content_hash, ...document } = statement;
      expect(content_hash).toBe(sha256Hex(JSON.stringify(document)));

      const hotelStatement = expectBody(
        await gw.call("GET", `/v1/settlements/${hotelSummary?.id}`, { as: hotel.owner }),
        op.getSettlement,
        200,
      );
      expect(hotelStatement.lines.map((l) => [l.kind, l.direction, l.amount_minor])).toEqual([
        ["points_issued", "receivable", 990],
        ["points_issued", "memo", 600],
        ["points_redeemed", "payable", 270],
      ]);
      first = {
        hotelStatement: hotelSummary?.id ?? "",
        grocerStatement: grocerSummary?.id ?? "",
        grocer,
        hotel: hotel.owner,
      };

      const events = expectBody(
        await gw.call("GET", "/v1/events?type=settlement.statement_ready", { as: grocer }),
        op.listEvents,
        200,
      );
      expect(events.data[0]?.data).toMatchObject({ id: grocerSummary?.id, net_amount_minor: -720, content_hash });
    });

    it("keeps closed statements as issued and settles later movements in the next period", async () => {
      const { grocerStatement, grocer: firstGrocer } = firstPeriod();
      const beforeAnswer = await gw.call("GET", `/v1/settlements/${grocerStatement}`, { as: firstGrocer });
      const before = expectBody(beforeAnswer, op.getSettlement, 200);
      const lastEnd = before.period.end;
      const { hotel, grocer } = await coalition();
      const { externalId } = await hotel.enrol();
      await hotel.earn(externalId, 2_000, { as: grocer });
      gw.clock.advance(MINUTE);

      expectProblem(await close(periodStart ?? ""), 409, "conflict"); // overlaps the closed period
      const future = new Date(gw.clock.now().getTime() + MINUTE).toISOString();
      expectProblem(await close(lastEnd, future), 400, "validation_failed");
      const next = expectBody(await close(lastEnd), op.closeSettlementPeriod, 201);
      expect(next.statements.find((s) => s.partner_id === grocer.id)?.net_amount_minor).toBe(-2_200);
      // A partner with no movements in the period still gets its statement: nothing owed either way.
      const idle = next.statements.find((s) => s.partner_id === before.partner.id);
      expect(idle?.net_amount_minor).toBe(0);
      const idleStatement = expectBody(
        await gw.call("GET", `/v1/settlements/${idle?.id}`, { as: firstGrocer }),
        op.getSettlement,
        200,
      );
      expect(idleStatement).toMatchObject({ lines: [], totals: { net_amount_minor: 0 } });
      const after = await gw.call("GET", `/v1/settlements/${grocerStatement}`, { as: firstGrocer });
      expect(after.text).toBe(beforeAnswer.text);
    });

    it("lets only one of two concurrent closes of the same period through", async () => {
      const [last] = await gw.rows<{ end: number }>("select max(end) as end from settlement_periods");
      gw.clock.advance(MINUTE);
      const start = new Date(last?.end ?? 0).toISOString();
      const [a, b] = await Promise.all([close(start), close(start)]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      expect(await gw.rows("select id from settlement_periods where start = ?", last?.end ?? 0)).toHaveLength(1);
    });

    it("refuses bad periods with a problem and writes nothing", async () => {
      const [before] = await gw.rows<{ n: number }>("select count(*) as n from settlement_periods");
      for (const body of [
        { start: "yesterday", end: "today" },
        { start: "2026-02-01T00:00:00Z", end: "2026-01-01T00:00:00Z" },
        {},
      ]) {
        const answer = await gw.call("POST", "/v1/settlement-periods", { as: gw.operator, body });
        expectProblem(answer, 400, "validation_failed", JSON.stringify(body));
      }
      expect(await gw.rows("select count(*) as n from settlement_periods")).toEqual([before]);
    });
  });

  describe("statement downloads", () => {
    it("serves the CSV per RFC 4180 with formula cells neutralised, and a PDF with the statement", async () => {
      const { grocerStatement, grocer, hotel } = firstPeriod();
      const list = expectBody(await gw.call("GET", "/v1/settlements", { as: grocer }), op.listSettlements, 200);
      expect(list.data.map((statement) => statement.id)).toContain(grocerStatement);
      const csv = await gw.call("GET", `/v1/settlements/${grocerStatement}.csv`, { as: grocer });
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.headers.get("content-disposition")).toMatch(
        /^attachment; filename="stm_[0-9a-z]+-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      // The text drops the byte order mark; the bytes keep it, for spreadsheets.
      expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.text.startsWith("statement_id,partner,period_start,")).toBe(true);
      const rows = csv.text.split("\r\n");
      // The lines (header, 2 lines), a blank row, then the summary (header, 1 counterparty, 3 totals, the net).
      expect(rows).toHaveLength(1 + 2 + 1 + 1 + 1 + 3 + 1 + 1); // and the last CRLF
      expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""Grocer"")"`);
      expect(rows[1]).toContain("points_issued,payable");
      // Signed from the grocer's side, so the amount column sums to the net: -9.90 + 2.70 = -7.20.
      expect(rows[1]).toContain(",900,0.011000,-9.90,-990,,");
      expect(rows[2]).toContain(",300,0.009000,2.70,270,,");
      expect(rows[3]).toBe("");
      expect(rows[4]).toBe("summary,counterparty,direction,amount,amount_minor,due_date,status");
      expect(rows[5]).toBe(`counterparty,${hotel.name},you_pay,7.20,720,,`);
      expect(rows[9]).toMatch(/^net,,you_pay,7\.20,720,\d{4}-\d{2}-\d{2},due$/);
      const [lines = [], summary = []] = csvSections(csv.text);
      expect(
        sumDecimals(
          lines.map((line) => line.amount ?? ""),
          2,
        ),
      ).toBe(-720n);
      expect(summary.map((row) => row.summary)).toEqual([
        "counterparty",
        "total_receivable",
        "total_payable",
        "total_memo",
        "net",
      ]);
      for (const row of rows) expect(row.split(",").every((cell) => !/^[=+@]|^-(?!\d)/.test(cell))).toBe(true);

      const pdf = await gw.call("GET", `/v1/settlements/${grocerStatement}.pdf`, { as: grocer });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      expect(new TextDecoder().decode(pdf.bytes.slice(0, 5))).toBe("%PDF-");
      const parsed = await PDFDocument.load(pdf.bytes);
      expect(parsed.getTitle()).toBe(`Settlement statement ${grocerStatement}`);
      expect(parsed.getPageCount()).toBe(1);
      const text = await pdfText(pdf.bytes);
      for (const shown of [
        "Settlement statement",
        "Coalition operator",
        `You pay ${hotel.name} $7.20`,
        "Points issued",
        "900",
        "-$9.90",
        "-$7.20",
        "Page 1 of 1",
      ])
        expect(text).toContain(shown);
      expect(text.some((line) => /^Net: you pay .*\$7\.20$/.test(line))).toBe(true);
      // ?lang= writes it in Portuguese; the content hash does not change with the language.
      const portuguese = await gw.call("GET", `/v1/settlements/${grocerStatement}.pdf?lang=pt-BR`, { as: grocer });
      expect(portuguese.status).toBe(200);
      const inPortuguese = await pdfText(portuguese.bytes);
      for (const shown of ["Extrato de liquidação", "Operador da coalizão", "Página 1 de 1"])
        expect(inPortuguese).toContain(shown);
      expect(inPortuguese.some((line) => line.includes(`paga`) && line.includes("7,20"))).toBe(true);
      // Russian too: the PDF embeds a font with Cyrillic.
      const russian = await gw.call("GET", `/v1/settlements/${grocerStatement}.pdf?lang=ru`, { as: grocer });
      expect(russian.status).toBe(200);
      const inRussian = (await pdfText(russian.bytes)).map((line) => line.replace(/[\u00a0\u202f]/g, " "));
      for (const shown of [
        "Расчётная выписка",
        "Оператор коалиции",
        "Страница 1 из 1",
        `Вы платите ${hotel.name} 7,20 $`,
      ])
        expect(inRussian).toContain(shown);
      expectProblem(
        await gw.call("GET", `/v1/settlements/${grocerStatement}.pdf?lang=xx`, { as: grocer }),
        400,
        "validation_failed",
      );
      const statement = expectBody(
        await gw.call("GET", `/v1/settlements/${grocerStatement}`, { as: grocer }),
        op.getSettlement,
        200,
      );
      for (const lines of [text, inPortuguese, inRussian])
        expect(lines.some((line) => line.includes(statement.content_hash))).toBe(true);
    });

    it("answers 404 for another partner's statement, in every format", async () => {
      const { grocerStatement, hotelStatement, hotel } = firstPeriod();
      const stranger = await onboardPartner(gw);
      for (const suffix of ["", ".csv", ".pdf"]) {
        const answer = await gw.call("GET", `/v1/settlements/${grocerStatement}${suffix}`, { as: stranger });
        expectProblem(answer, 404, "not_found", suffix);
      }
      // The hotel, the grocer's counterparty, reads only its own statement.
      expectProblem(await gw.call("GET", `/v1/settlements/${grocerStatement}`, { as: hotel }), 404, "not_found");
      expectBody(await gw.call("GET", `/v1/settlements/${hotelStatement}`, { as: hotel }), op.getSettlement, 200);
    });

    it("leaves the ledger balanced", async () => {
      await expectLedgerInvariants(gw.rows);
    });
  });
}
