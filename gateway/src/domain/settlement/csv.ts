import { stringify } from "csv-stringify/sync";
import { neutralise } from "../csv-cells";
import { formatMicros, formatMinor } from "./money";
import type { StatementDocument } from "./statements";
import { summarise } from "./summary";

const lineHeader = [
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
  "memo_amount",
  "content_hash",
];

const summaryHeader = ["summary", "counterparty", "direction", "amount", "amount_minor", "due_date", "status"];

/**
 * The statement as CSV (RFC 4180: CRLF, quoted where needed; UTF-8 with a byte order mark so spreadsheets read
 * accents and Cyrillic right), in two sections:
 *
 * 1. The lines, under a header row. `amount` and `amount_minor` are signed, from the partner's side (owed to it
 *    positive, owed by it negative), so the `amount` column sums exactly to the net. Memo lines (own program,
 *    breakage, amounts that round to zero) leave them empty and show their value in `memo_amount`.
 * 2. After a blank row, the summary under its own header: one `counterparty` row per counterparty (netted,
 *    `you_pay` or `pays_you`), the totals and the `net` row with the due date and the status at `now`. Its
 *    amounts are unsigned, in columns of their own, so they never add into the lines' `amount` column.
 */
export function statementCsv(statement: StatementDocument & { content_hash: string }, now: Date): string {
  const summary = summarise(statement, now);
  const major = (minor: number) => formatMinor(minor, statement.currency);
  const common = [
    statement.id,
    statement.partner.name,
    statement.period.start,
    statement.period.end,
    statement.currency,
  ];
  const line = (l: StatementDocument["lines"][number], settling: boolean) => {
    const signed = l.direction === "payable" ? -l.amount_minor : l.amount_minor;
    return [
      ...common,
      l.kind,
      l.direction,
      l.counterparty?.name ?? "",
      l.program.name,
      String(l.points),
      formatMicros(l.price_micros),
      settling ? major(signed) : "",
      settling ? String(signed) : "",
      settling ? "" : major(l.amount_minor),
      statement.content_hash,
    ];
  };
  const side = (minor: number) => (minor < 0 ? "you_pay" : minor > 0 ? "pays_you" : "even");
  const amount = (minor: number) => [major(Math.abs(minor)), String(Math.abs(minor))];
  const { totals } = statement;
  const summaryRows = [
    ...summary.counterparties.map((b) => [
      "counterparty",
      b.counterparty.name,
      side(b.net_minor),
      ...amount(b.net_minor),
      "",
      "",
    ]),
    ["total_receivable", "", "pays_you", ...amount(totals.receivable_minor), "", ""],
    ["total_payable", "", "you_pay", ...amount(totals.payable_minor), "", ""],
    ["total_memo", "", "memo", ...amount(totals.memo_minor), "", ""],
    [
      "net",
      "",
      summary.net_minor === 0 ? "nothing_to_settle" : side(summary.net_minor),
      ...amount(summary.net_minor),
      summary.due.toISOString().slice(0, 10),
      summary.status,
    ],
  ];
  const records = [
    lineHeader,
    ...summary.settling.map((l) => line(l, true)),
    ...summary.memo.map((l) => line(l, false)),
    [],
    summaryHeader,
    ...summaryRows,
  ].map((row) => row.map(neutralise));
  return `\uFEFF${stringify(records, { record_delimiter: "\r\n" })}`;
}
