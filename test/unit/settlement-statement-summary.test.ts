import { describe, expect, it, vi } from "vitest";
import { statementCsv } from "../../gateway/src/domain/settlement/csv";
import { statementPdf } from "../../gateway/src/domain/settlement/pdf";
import type { StatementDocument, StatementLine } from "../../gateway/src/domain/settlement/statements";
import { dueDate, paymentStatus, periodName, summarise } from "../../gateway/src/domain/settlement/summary";
import { balanceSentence, netSentence, sayIn } from "../../gateway/src/domain/settlement/wording";
import { csvSections, sumDecimals } from "../support/csv";
import { pdfText } from "../support/pdf";

const plain = (text: string) => text.replace(/[\u00a0\u202f\u2009]/g, " ");
const skyways = { id: "ptn_sky", name: "SkyWays Airlines" };
const freshcart = { id: "ptn_fresh", name: "FreshCart" };
const program = { id: "prg_h", name: "Harbor Rewards" };
const line = (overrides: Partial<StatementLine>): StatementLine => ({
  kind: "points_issued",
  direction: "receivable",
  counterparty: freshcart,
  program,
  points: 100,
  price_micros: 10_000,
  amount_minor: 100,
  ...overrides,
});

/** The example: the hotel pays SkyWays $112.55 and FreshCart pays it $3.21; a memo line and a zero line. */
function statement(lines: StatementLine[] = []): StatementDocument & { content_hash: string } {
  const all = lines.length
    ? lines
    : [
        line({ direction: "receivable", counterparty: freshcart, amount_minor: 321 }),
        line({ kind: "conversion_out", direction: "payable", counterparty: skyways, amount_minor: 11_255 }),
        line({ direction: "memo", counterparty: { id: "ptn_h", name: "Harbor" }, amount_minor: 500 }),
        line({ direction: "payable", counterparty: skyways, points: 1, price_micros: 1, amount_minor: 0 }),
      ];
  const sum = (direction: string) =>
    all.filter((l) => l.direction === direction).reduce((total, l) => total + l.amount_minor, 0);
  return {
    id: "stm_1",
    period: { id: "stp_1", start: "2026-10-01T00:00:00.000Z", end: "2026-11-01T00:00:00.000Z" },
    partner: { id: "ptn_h", name: "Harbor" },
    currency: "USD",
    lines: all,
    totals: {
      receivable_minor: sum("receivable"),
      payable_minor: sum("payable"),
      memo_minor: sum("memo"),
      net_amount_minor: sum("receivable") - sum("payable"),
    },
    created_at: "2026-11-01T00:00:05.000Z",
    content_hash: "ab".repeat(32),
  };
}

describe("statement summaries", () => {
  it("names periods as people say them, the end inclusive, in UTC", () => {
    const october = ["2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"] as const;
    expect(periodName(...october, "en")).toBe("October 2026");
    expect(periodName(...october, "pt-BR")).toBe("outubro de 2026");
    expect(periodName(...october, "ru")).toMatch(/^октябрь 2026/);
    expect(plain(periodName("2026-10-01T00:00:00Z", "2026-10-16T00:00:00Z", "en"))).toBe("October 1 – 15, 2026");
    expect(plain(periodName("2026-10-01T00:00:00Z", "2026-10-16T00:00:00Z", "pt-BR"))).toBe(
      "1 – 15 de outubro de 2026",
    );
    expect(periodName("2026-10-05T00:00:00Z", "2026-10-06T00:00:00Z", "en")).toBe("October 5, 2026");
    expect(periodName("2026-10-05T09:30:00Z", "2026-10-05T10:00:00Z", "en")).toMatch(/UTC$/);
  });

  it("is due 15 days after the issue date and overdue once that day is over", () => {
    const issued = "2026-11-01T10:00:00Z";
    expect(dueDate(issued).toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(paymentStatus(-100, issued, new Date("2026-11-16T23:59:59Z"))).toBe("due");
    expect(paymentStatus(-100, issued, new Date("2026-11-17T00:00:00Z"))).toBe("overdue");
    expect(paymentStatus(0, issued, new Date("2027-01-01T00:00:00Z"))).toBe("none");
  });

  it("says who pays whom per counterparty and the net, and keeps memo and zero lines apart", () => {
    const summary = summarise(statement(), new Date("2026-11-02T00:00:00Z"));
    const say = sayIn("en", "USD");
    expect(summary.counterparties.map((b) => balanceSentence(b, say))).toEqual([
      "FreshCart pays you $3.21",
      "You pay SkyWays Airlines $112.55",
    ]);
    expect(netSentence(summary, say)).toBe("Net: you pay $109.34");
    expect(summary.settling).toHaveLength(2);
    expect(summary.memo).toHaveLength(2);
    expect(netSentence(summary, sayIn("pt-BR", "USD")).replace(/\s/g, " ")).toBe("Saldo: você paga US$ 109,34");
    const alone = summarise(statement([line({ amount_minor: 321 })]), new Date());
    expect(netSentence(alone, say)).toBe("Net: FreshCart pays you $3.21");
    expect(netSentence(summarise(statement([line({ direction: "memo" })]), new Date()), say)).toBe("Nothing to settle");
  });

  it("writes a CSV whose amount column sums to the net, with the summary apart", () => {
    const [lines = [], summary = []] = csvSections(statementCsv(statement(), new Date("2026-11-02T00:00:00Z")));
    expect(
      sumDecimals(
        lines.map((l) => l.amount ?? ""),
        2,
      ),
    ).toBe(-10_934n);
    expect(summary.at(-1)).toMatchObject({ summary: "net", direction: "you_pay", amount: "109.34", status: "due" });
  });

  it("numbers the PDF's pages and writes its summary and issuer", async () => {
    const many = Array.from({ length: 90 }, (_, i) =>
      line({ program: { id: `prg_${i}`, name: `Program ${i}` }, amount_minor: 1 }),
    );
    const text = await pdfText(await statementPdf(statement(many), { now: new Date("2026-11-02T00:00:00Z") }));
    expect(text).toContain("Page 1 of 2");
    expect(text).toContain("Page 2 of 2");
    expect(text).toContain("Coalition operator");
    expect(text).toContain("Net: FreshCart pays you $0.90");
  });

  it("writes the PDF in Russian, and names in any script it has glyphs for, as written", async () => {
    const aeroflot = { id: "ptn_su", name: "Аэрофлот Бонус" };
    const lines = [
      line({ direction: "receivable", counterparty: freshcart, amount_minor: 321 }),
      line({ kind: "conversion_out", direction: "payable", counterparty: aeroflot, amount_minor: 11_255 }),
      line({ direction: "payable", counterparty: { id: "ptn_gr", name: "Ελληνικά Ταξίδια" }, amount_minor: 100 }),
      line({ direction: "payable", counterparty: { id: "ptn_jp", name: "東京 Miles" }, amount_minor: 100 }),
    ];
    const now = new Date("2026-11-02T00:00:00Z");
    const russian = (await pdfText(await statementPdf(statement(lines), { locale: "ru", now }))).map(plain);
    for (const said of [
      "Расчётная выписка",
      "Оператор коалиции",
      "Кто кому платит",
      "Вы платите Аэрофлот Бонус 112,55 $",
      "FreshCart платит вам 3,21 $",
      "Вы платите Ελληνικά Ταξίδια 1,00 $",
      "Итого: вы платите 111,34 $",
      "Страница 1 из 1",
    ])
      expect(russian).toContain(said);
    // DejaVu Sans has no CJK: those characters print as "?", the rest of the name as written.
    expect(russian).toContain("Вы платите ?? Miles 1,00 $");
    const english = await pdfText(await statementPdf(statement(lines), { locale: "en", now }));
    expect(english).toContain("You pay Аэрофлот Бонус $112.55");
  });

  it("keeps every letter readable in later PDFs, though another glyph holds it (DejaVu builds ы from ь)", async () => {
    // A fresh module, whose fonts no earlier test has used.
    vi.resetModules();
    const fresh = await import("../../gateway/src/domain/settlement/pdf");
    const now = new Date("2026-11-02T00:00:00Z");
    const named = (name: string) => statement([line({ counterparty: { id: "ptn_ru", name }, amount_minor: 100 })]);
    // "ы" without "ь" first, in English: fontkit meets "ь" only as a part of "ы".
    expect(await pdfText(await fresh.statementPdf(named("Мы"), { now }))).toContain("Мы");
    const later = await pdfText(await fresh.statementPdf(named("Пьер"), { locale: "ru", now }));
    expect(later).toContain("Пьер");
    expect(later.filter((text) => text.includes("\ufffd"))).toEqual([]);
  });
});
