import { describe, expect, it } from "vitest";
import { pdfText } from "../support/pdf";
import { addAgreement, onboardPartner, setupProgram } from "./fixtures";
import { connect } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Answer, Target } from "./target";

const MINUTE = 60_000;
const password = "correct horse battery staple";

/**
 * Statements of partners and programs named in Cyrillic, read back from the API's and the portal's PDF: the names
 * print exactly as written, and the words are in the reader's language (the API: `lang`, else `Accept-Language`,
 * else English; the portal: the `cg_lang` cookie, else `Accept-Language`). The CSV's column names are identifiers
 * for programs to read, the same in every language.
 */
export function statementLanguageScenarios(target: Target) {
  const gw = connect(target);
  const names = { owner: "Северное сияние", program: "Северные мили", grocer: "Гастроном «Берёзка»" };

  /** The grocer's statement, and a finance user of the grocer signed in to the portal (its session cookie). */
  let world: { statementId: string; session: string } | undefined;
  async function cyrillicWorld() {
    if (world) return world;
    const start = gw.clock.now().toISOString();
    const program = await setupProgram(gw, { name: names.program });
    expectBody(
      await gw.call("PATCH", `/v1/partners/${program.owner.id}`, { as: gw.operator, body: { name: names.owner } }),
      op.updatePartner,
      200,
    );
    const grocer = await onboardPartner(gw, { name: names.grocer });
    await addAgreement(gw, program.programId, grocer.id, { issue_price_micros: 11_000, redeem_price_micros: 9_000 });
    const { externalId } = await program.enrol();
    await program.earn(externalId, 1_000, { as: grocer });
    await program.burn(externalId, 300, { as: grocer });
    gw.clock.advance(MINUTE);
    const closed = expectBody(
      await gw.call("POST", "/v1/settlement-periods", {
        as: gw.operator,
        body: { start, end: gw.clock.now().toISOString() },
      }),
      op.closeSettlementPeriod,
      201,
    );
    const statementId = closed.statements.find((statement) => statement.partner_id === grocer.id)?.id;
    if (!statementId) throw new Error("the grocer has a statement");

    const email = `finance-${crypto.randomUUID().slice(0, 8)}@berezka.example`;
    const user = await gw.call("POST", `/v1/partners/${grocer.id}/users`, {
      as: gw.operator,
      body: { email, role: "finance", password },
    });
    expect(user.status, user.text).toBe(201);
    const signedIn = await gw.call("POST", "/portal/login", {
      form: { _csrf: "fixed-csrf-token", email, password },
      headers: { Cookie: "cg_csrf=fixed-csrf-token" },
    });
    expect(signedIn.status, signedIn.text).toBe(303);
    const session = /cg_session=([^;,]+)/.exec(signedIn.headers.get("set-cookie") ?? "")?.[1];
    if (!session) throw new Error("signing in sets the session cookie");
    world = { statementId, session: `cg_session=${session}` };
    return world;
  }

  /** The text of a PDF answer, spaces inside numbers (Intl's narrow ones) made plain. */
  async function textOf(answer: Answer) {
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/pdf");
    return (await pdfText(answer.bytes)).map((line) => line.replace(/[\u00a0\u202f]/g, " "));
  }

  /** Every Cyrillic name is there exactly, and nothing printed as `?` or as a glyph the font lacks. */
  function expectNamesAsWritten(text: string[]) {
    expect(text.some((line) => line.startsWith(`${names.grocer} (ptn_`))).toBe(true);
    expect(text.some((line) => line.endsWith(` · ${names.grocer} · ${text[1]}`))).toBe(true);
    expect(text).toContain(names.owner);
    expect(text).toContain(names.program);
    for (const line of text) expect(line).not.toMatch(/[?\ufffd]/);
  }

  const titles = { en: "Settlement statement", "pt-BR": "Extrato de liquidação", ru: "Расчётная выписка" };
  const languageOf = (text: string[]) =>
    Object.entries(titles).find(([, title]) => text[0] === title)?.[0] ?? `unknown: ${text[0]}`;

  describe("statements in every language", () => {
    it("print Cyrillic names exactly in the API's PDF, in the language lang or Accept-Language asks for", async () => {
      const { statementId } = await cyrillicWorld();
      const pdf = (query: string, headers: Record<string, string> = {}) =>
        gw.call("GET", `/v1/settlements/${statementId}.pdf${query}`, { as: gw.operator, headers });

      const english = await textOf(await pdf(""));
      expect(languageOf(english)).toBe("en");
      expectNamesAsWritten(english);
      expect(english).toContain(`You pay ${names.owner} $8.30`);

      const russian = await textOf(await pdf("", { "Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8" }));
      expect(languageOf(russian)).toBe("ru");
      expectNamesAsWritten(russian);
      expect(russian).toContain(`Вы платите ${names.owner} 8,30 $`);
      expect(russian).toContain("Страница 1 из 1");

      for (const [query, accept, language] of [
        ["", "pt-PT,pt;q=0.9", "pt-BR"],
        ["", "fr-FR, de;q=0.9", "en"],
        ["", "de;q=0.9, ru;q=0.5", "ru"],
        ["?lang=en", "ru", "en"],
        ["?lang=ru", "pt-BR", "ru"],
      ] as const) {
        const answer = await pdf(query, { "Accept-Language": accept });
        expect(languageOf(await textOf(answer)), `${query} ${accept}`).toBe(language);
        expect(answer.headers.get("vary")).toMatch(/Accept-Language/);
      }
    });

    it("download from the portal in the signed-in user's language, with the Cyrillic names exact", async () => {
      const { statementId, session } = await cyrillicWorld();
      const download = (format: "pdf" | "csv", headers: Record<string, string>) =>
        gw.call("GET", `/portal/statements/${statementId}.${format}`, {
          headers: { ...headers, Cookie: [session, headers.Cookie].filter(Boolean).join("; ") },
        });

      for (const [headers, language] of [
        [{}, "en"],
        [{ Cookie: "cg_lang=ru" }, "ru"],
        [{ "Accept-Language": "ru-RU,ru;q=0.9" }, "ru"],
        [{ "Accept-Language": "pt-BR" }, "pt-BR"],
        // The language the user chose in the portal wins over the browser's.
        [{ Cookie: "cg_lang=pt-BR", "Accept-Language": "ru" }, "pt-BR"],
      ] as const) {
        const text = await textOf(await download("pdf", headers));
        expect(languageOf(text), JSON.stringify(headers)).toBe(language);
        expectNamesAsWritten(text);
      }

      // The CSV is data: the same column names and codes in every language, the names exact in UTF-8.
      const csv = await download("csv", { Cookie: "cg_lang=ru", "Accept-Language": "ru" });
      expect(csv.status).toBe(200);
      const english = await download("csv", {});
      expect(csv.text).toBe(english.text);
      const [header, first = ""] = csv.text.split("\r\n");
      expect(header).toBe(
        "statement_id,partner,period_start,period_end,currency,kind,direction,counterparty,program,points," +
          "price_per_point,amount,amount_minor,memo_amount,content_hash",
      );
      expect(first).toContain(`,${names.grocer},`);
      expect(first).toContain(`,${names.owner},${names.program},`);
      const api = await gw.call("GET", `/v1/settlements/${statementId}.csv`, {
        as: gw.operator,
        headers: { "Accept-Language": "ru" },
      });
      expect(api.text).toBe(english.text);
    });
  });
}
