import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import { dejaVuSans, dejaVuSansBold } from "./fonts";
import { formatPrice } from "./money";
import type { StatementDocument, StatementLine } from "./statements";
import { paymentTermDays, periodName, signedAmountMinor, summarise } from "./summary";
import {
  balanceSentence,
  netSentence,
  type StatementLocale,
  type StatementMessageKey,
  sayIn,
  statusSentence,
} from "./wording";

const A4: [number, number] = [595.28, 841.89];
const margin = 40;
const footer = 28;
const ink = rgb(0.1, 0.1, 0.1);
const muted = rgb(0.35, 0.35, 0.35);
const columns: { key: StatementMessageKey; x: number; width: number; right?: boolean }[] = [
  { key: "statement.kind", x: 40, width: 110 },
  { key: "statement.direction", x: 150, width: 66 },
  { key: "statement.counterparty", x: 216, width: 96 },
  { key: "statement.program", x: 312, width: 86 },
  { key: "statement.points", x: 398, width: 46, right: true },
  { key: "statement.price", x: 444, width: 50, right: true },
  { key: "statement.amount", x: 494, width: 61, right: true },
];

/** The text, cut with "..." to fit `width` points. */
function fitWidth(value: string, face: PDFFont, size: number, width: number): string {
  if (face.widthOfTextAtSize(value, size) <= width) return value;
  let cut = value;
  while (cut.length > 0 && face.widthOfTextAtSize(`${cut}...`, size) > width) cut = cut.slice(0, -1);
  return `${cut}...`;
}

type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];

/**
 * The fonts, decoded from base64 and parsed once per process or isolate: they never change, and pdf-lib would
 * otherwise have fontkit parse 1.4 MB of TrueType for every PDF (most of the time it takes). Each document gets
 * the parsed font with a glyph cache of its own: fontkit keeps a glyph with the characters of the text that first
 * asked for it, and a glyph first met as part of another (DejaVu builds "ы" from "ь") keeps none; pdf-lib's
 * ToUnicode map, built from those characters, would then leave it out of every later document, whose text could
 * no longer be read back or copied ("Оплатить" read "Оплатит�"). The subset is made per document anyway.
 */
let embedded: { regular: Uint8Array; bold: Uint8Array; fontkit: Fontkit } | undefined;
function fonts() {
  if (embedded) return embedded;
  const decode = (base64: string) => {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  };
  const parsed = new Map<Uint8Array, ReturnType<Fontkit["create"]>>();
  const cached: Fontkit = {
    create(bytes, postscriptName) {
      const font = parsed.get(bytes) ?? fontkit.create(bytes, postscriptName);
      parsed.set(bytes, font);
      // The parsed tables are shared through the prototype; `_glyphs` is fontkit's glyph cache.
      return Object.assign(Object.create(font), { _glyphs: {} });
    },
  };
  embedded = { regular: decode(dejaVuSans), bold: decode(dejaVuSansBold), fontkit: cached };
  return embedded;
}

/** The words of `value` on at most two lines of `width` points ("Price per" / "point"); the rest is cut later. */
function twoLines(value: string, face: PDFFont, size: number, width: number): string[] {
  const words = value.split(" ");
  for (let split = words.length - 1; split > 0; split--) {
    const first = words.slice(0, split).join(" ");
    if (face.widthOfTextAtSize(first, size) <= width) return [first, words.slice(split).join(" ")];
  }
  return [value];
}

export type PdfOptions = {
  /** The language to write in (default English). */
  locale?: StatementLocale;
  /** When the file is made: the status ("Due by ...", "Overdue") is as of then. */
  now: Date;
};

/**
 * The statement as a PDF (pdf-lib: pure JS, runs on Workers), in the reader's language: the issuer (the
 * coalition operator), partner, period as people name it, issue and due dates and status; who pays whom (one
 * sentence per counterparty and the net); the lines that make the totals and, apart, the memo lines; the
 * totals; the content hash; "Page n of N" on every page. DejaVu Sans (fonts.ts, generated) is embedded as a
 * subset of the glyphs used, so every language the portal speaks, and names in Latin, Cyrillic, Greek and many
 * other scripts, print as written; a character the font lacks (CJK, for one) prints as `?` here (it is exact
 * in the CSV and JSON). The language changes only the file, never the content hash, which covers the
 * statement's document.
 */
export async function statementPdf(
  statement: StatementDocument & { content_hash: string },
  options: PdfOptions,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const { regular, bold: boldBytes, fontkit: parser } = fonts();
  pdf.registerFontkit(parser);
  // pdf-lib draws glyphs without the positions fontkit's GPOS features compute: skipping them costs nothing.
  const embedding = { subset: true, features: { kern: false, mark: false, mkmk: false, curs: false } };
  const font = await pdf.embedFont(regular, embedding);
  const bold = await pdf.embedFont(boldBytes, embedding);
  const supported = new Map([font, bold].map((face) => [face, new Set(face.getCharacterSet())]));
  const locale = options.locale ?? "en";
  const say = sayIn(locale, statement.currency);
  const { t } = say;
  const summary = summarise(statement, options.now);
  const period = periodName(statement.period.start, statement.period.end, locale);
  const points = new Intl.NumberFormat(locale);

  pdf.setTitle(`${t("statement.title")} ${statement.id}`);
  pdf.setAuthor(t("statement.issuerName"));
  pdf.setLanguage(locale);
  pdf.setCreationDate(new Date(statement.created_at));
  // A character the face lacks: a plain space for any space (Intl puts narrow ones in numbers), else "?".
  const safe = (text: string, face: PDFFont) =>
    [...text]
      .map((char) => (supported.get(face)?.has(char.codePointAt(0) ?? 0) ? char : /\s/.test(char) ? " " : "?"))
      .join("");

  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - margin;
  const text = (
    value: string,
    x: number,
    options: { size?: number; font?: PDFFont; width?: number; right?: boolean; color?: typeof ink } = {},
  ) => {
    const size = options.size ?? 8;
    const face = options.font ?? font;
    const shown = options.width ? fitWidth(safe(value, face), face, size, options.width - 4) : safe(value, face);
    const left = options.right && options.width ? x + options.width - 4 - face.widthOfTextAtSize(shown, size) : x;
    page.drawText(shown, { x: left, y, size, font: face, color: options.color ?? ink });
  };
  /** A new page when fewer than `needed` points are left above the footer. */
  const room = (needed: number, after?: () => void) => {
    if (y - needed > margin + footer) return;
    page = pdf.addPage(A4);
    y = A4[1] - margin;
    after?.();
  };
  const heading = (value: string) => {
    room(40);
    y -= 8;
    text(value, margin, { size: 12, font: bold });
    y -= 18;
  };
  /** The column names, on two lines where one is too narrow. */
  const tableHeader = () => {
    const names = columns.map((column) => {
      const name = t(column.key);
      const fits = bold.widthOfTextAtSize(safe(name, bold), 8) <= column.width - 4;
      return fits ? [name] : twoLines(safe(name, bold), bold, 8, column.width - 4);
    });
    const top = y;
    columns.forEach((column, index) => {
      y = top;
      for (const part of names[index] ?? []) {
        text(part, column.x, { font: bold, width: column.width, right: column.right });
        y -= 9;
      }
    });
    y = top - 5 - 9 * Math.max(...names.map((name) => name.length));
  };
  const table = (lines: StatementLine[], amountOf: (line: StatementLine) => number) => {
    tableHeader();
    for (const line of lines) {
      room(12, tableHeader);
      const cells = [
        t(`statement.kind.${line.kind}`),
        t(`statement.direction.${line.direction}`),
        line.counterparty?.name ?? "",
        line.program.name,
        points.format(line.points),
        formatPrice(locale, line.price_micros, statement.currency),
        say.money(amountOf(line)),
      ];
      columns.forEach((column, index) => {
        text(cells[index] ?? "", column.x, { width: column.width, right: column.right });
      });
      y -= 12;
    }
  };

  text(t("statement.title"), margin, { size: 18, font: bold });
  y -= 22;
  text(period, margin, { size: 13 });
  y -= 24;
  for (const [label, value] of [
    [t("statement.issuer"), t("statement.issuerName")],
    [t("statement.partner"), `${statement.partner.name} (${statement.partner.id})`],
    [t("statement.period"), `${period} (${statement.period.start} – ${statement.period.end})`],
    [t("statement.currency"), statement.currency],
    [t("statement.id"), statement.id],
    [t("statement.issued"), say.date(statement.created_at)],
    [t("statement.due"), say.date(summary.due)],
    [t("statement.status"), `${statusSentence(summary, say)} (${say.date(options.now)})`],
  ]) {
    text(`${label}:`, margin, { size: 9, font: bold });
    text(value ?? "", margin + 90, { size: 9, width: A4[0] - 2 * margin - 90 });
    y -= 13;
  }
  text(t("statement.dueRule", { days: paymentTermDays }), margin, { size: 8, color: muted });
  y -= 8;

  heading(t("statement.summary"));
  for (const balance of summary.counterparties) {
    room(14);
    text(balanceSentence(balance, say), margin, { size: 10 });
    y -= 14;
  }
  room(14);
  text(netSentence(summary, say), margin, { size: 11, font: bold });
  y -= 16;

  heading(t("statement.lines"));
  if (summary.settling.length === 0) {
    text(t("statement.noLines"), margin, { size: 9 });
    y -= 12;
  } else table(summary.settling, signedAmountMinor);
  y -= 6;
  room(70);
  const { totals } = statement;
  for (const [key, minor] of [
    ["statement.total.receivable", totals.receivable_minor],
    ["statement.total.payable", -totals.payable_minor],
    ["statement.total.net", totals.net_amount_minor],
  ] as const) {
    const face = key === "statement.total.net" ? bold : font;
    text(t(key), 300, { size: 10, font: face });
    text(say.money(minor), 450, { size: 10, font: face, width: 105, right: true });
    y -= 14;
  }

  if (summary.memo.length > 0) {
    heading(t("statement.memoLines"));
    text(t("statement.memoHelp"), margin, { size: 8, color: muted });
    y -= 14;
    table(summary.memo, (line) => line.amount_minor);
    y -= 6;
    room(14);
    text(t("statement.total.memo"), 300, { size: 10 });
    text(say.money(totals.memo_minor), 450, { size: 10, width: 105, right: true });
    y -= 14;
  }
  y -= 12;
  room(12);
  text(t("statement.hash", { hash: statement.content_hash }), margin, { size: 7, color: muted });

  const pages = pdf.getPages();
  pages.forEach((each, index) => {
    page = each;
    y = margin;
    text(`${t("statement.issuerName")} · ${statement.partner.name} · ${period}`, margin, {
      size: 8,
      color: muted,
      width: 360,
    });
    const numbered = t("statement.page", { page: index + 1, pages: pages.length });
    text(numbered, A4[0] - margin - 150, { size: 8, color: muted, width: 150, right: true });
  });
  return pdf.save();
}
