import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { formatMicros, formatMinor } from "./money";
import type { StatementDocument } from "./statements";

const A4: [number, number] = [595.28, 841.89];
const margin = 40;
const columns = [
  { title: "Kind", x: 40, width: 88 },
  { title: "Direction", x: 128, width: 58 },
  { title: "Counterparty", x: 186, width: 110 },
  { title: "Program", x: 296, width: 100 },
  { title: "Points", x: 396, width: 52, right: true },
  { title: "Price/pt", x: 448, width: 50, right: true },
  { title: "Amount", x: 498, width: 57, right: true },
] as const;

/** The text, cut with "..." to fit `width` points. */
function fitWidth(value: string, face: PDFFont, size: number, width: number): string {
  if (face.widthOfTextAtSize(value, size) <= width) return value;
  let cut = value;
  while (cut.length > 0 && face.widthOfTextAtSize(`${cut}...`, size) > width) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/**
 * The statement as a PDF (pdf-lib: pure JS, runs on Workers): partner, period, every line, the totals and the
 * content hash. The standard Helvetica font covers Latin scripts (WinAnsi); other characters (e.g. Cyrillic
 * names) print as `?` here and are exact in the CSV and JSON.
 */
export async function statementPdf(statement: StatementDocument & { content_hash: string }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Settlement statement ${statement.id}`);
  pdf.setAuthor("coalition-gateway");
  pdf.setCreationDate(new Date(statement.created_at));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const supported = new Set(font.getCharacterSet());
  const safe = (text: string) =>
    [...text].map((char) => (supported.has(char.codePointAt(0) ?? 0) ? char : "?")).join("");
  const money = (minor: number) => `${formatMinor(minor, statement.currency)} ${statement.currency}`;

  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - margin;
  const text = (
    value: string,
    x: number,
    options: { size?: number; font?: PDFFont; width?: number; right?: boolean } = {},
  ) => {
    const size = options.size ?? 8;
    const face = options.font ?? font;
    const shown = options.width ? fitWidth(safe(value), face, size, options.width - 4) : safe(value);
    const left = options.right && options.width ? x + options.width - 4 - face.widthOfTextAtSize(shown, size) : x;
    page.drawText(shown, { x: left, y, size, font: face, color: rgb(0.1, 0.1, 0.1) });
  };
  const newPageIfNeeded = () => {
    if (y > margin + 40) return;
    page = pdf.addPage(A4);
    y = A4[1] - margin;
    tableHeader();
  };
  const tableHeader = () => {
    for (const column of columns)
      text(column.title, column.x, { font: bold, width: column.width, right: "right" in column });
    y -= 14;
  };

  text("Settlement statement", margin, { size: 18, font: bold });
  y -= 26;
  for (const [label, value] of [
    ["Partner", `${statement.partner.name} (${statement.partner.id})`],
    ["Period", `${statement.period.start} to ${statement.period.end} (end excluded)`],
    ["Currency", statement.currency],
    ["Statement", statement.id],
    ["Issued", statement.created_at],
  ]) {
    text(`${label}:`, margin, { size: 10, font: bold });
    text(value as string, margin + 70, { size: 10 });
    y -= 14;
  }
  y -= 10;
  tableHeader();
  for (const line of statement.lines) {
    newPageIfNeeded();
    const cells = [
      line.kind.replaceAll("_", " "),
      line.direction,
      line.counterparty?.name ?? "",
      line.program.name,
      line.points.toLocaleString("en-US"),
      formatMicros(line.price_micros),
      formatMinor(line.amount_minor, statement.currency),
    ];
    columns.forEach((column, index) => {
      text(cells[index] ?? "", column.x, { width: column.width, right: "right" in column });
    });
    y -= 12;
  }
  y -= 10;
  newPageIfNeeded();
  const { totals } = statement;
  for (const [label, minor] of [
    ["Receivable", totals.receivable_minor],
    ["Payable", totals.payable_minor],
    ["Memo (own program, breakage)", totals.memo_minor],
    ["Net (receivable - payable)", totals.net_amount_minor],
  ] as const) {
    text(label, 300, { size: 10, font: label.startsWith("Net") ? bold : font });
    text(money(minor), 450, { size: 10, font: label.startsWith("Net") ? bold : font, width: 105, right: true });
    y -= 14;
  }
  y -= 16;
  text(`SHA-256 of the statement document: ${statement.content_hash}`, margin, { size: 7 });
  return pdf.save();
}
