import { stringify } from "csv-stringify/sync";
import { formatMicros, formatMinor } from "./money";
import type { StatementDocument } from "./statements";

/**
 * Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return first) get a
 * leading apostrophe, so a partner or program named `=HYPERLINK(...)` shows as text (OWASP CSV injection).
 * Amounts are written unsigned, with their direction in a column of its own, so they stay numbers.
 */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

const header = [
  "statement_id",
  "partner",
  "period_start",
  "period_end",
  "currency",
  "kind",
  "direction",
  "counterparty",
  "program",
  "points",
  "price_per_point",
  "amount",
  "amount_minor",
  "content_hash",
];

/**
 * The statement as CSV (RFC 4180: CRLF, quoted where needed, a header row; UTF-8 with a byte order mark so
 * spreadsheets read accents and Cyrillic right). One row per line, then the totals as rows of kind `total_*`
 * and `net_total`; every row carries the statement's content hash.
 */
export function statementCsv(statement: StatementDocument & { content_hash: string }): string {
  const common = [
    statement.id,
    statement.partner.name,
    statement.period.start,
    statement.period.end,
    statement.currency,
  ];
  const money = (minor: number) => [formatMinor(Math.abs(minor), statement.currency), String(Math.abs(minor))];
  const rows = statement.lines.map((line) => [
    ...common,
    line.kind,
    line.direction,
    line.counterparty?.name ?? "",
    line.program.name,
    String(line.points),
    formatMicros(line.price_micros),
    ...money(line.amount_minor),
  ]);
  const { totals } = statement;
  const net = totals.net_amount_minor;
  const total = (kind: string, direction: string, minor: number) => [
    ...common,
    kind,
    direction,
    "",
    "",
    "",
    "",
    ...money(minor),
  ];
  rows.push(
    total("total_receivable", "receivable", totals.receivable_minor),
    total("total_payable", "payable", totals.payable_minor),
    total("total_memo", "memo", totals.memo_minor),
    total("net_total", net >= 0 ? "receivable" : "payable", net),
  );
  const records = rows.map((row) => [...row, statement.content_hash].map(neutralise));
  return `\uFEFF${stringify([header, ...records], { record_delimiter: "\r\n" })}`;
}
