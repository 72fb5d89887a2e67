import { stringify } from "csv-stringify/sync";
import { neutralise } from "../csv-cells";

/** A report cell as its JSON has it: a number, text, true/false, or null (an empty cell). */
export type ReportCell = string | number | boolean | null;

/**
 * One table of a report as CSV, written as statements are: RFC 4180 (CRLF, quoted where needed), UTF-8 with a byte
 * order mark so spreadsheets read accents and Cyrillic, formula cells neutralised. The header is the JSON field
 * names, in `columns` order, and each row the JSON row's values: numbers as JSON writes them, null as an empty cell.
 */
export function reportCsv<Row extends Record<string, ReportCell>>(
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
): string {
  const cell = (value: ReportCell) => neutralise(value === null ? "" : String(value));
  const records = [[...columns], ...rows.map((row) => columns.map((column) => cell(row[column] ?? null)))];
  return `\uFEFF${stringify(records, { record_delimiter: "\r\n" })}`;
}

/** One table of a report as CSV: `tables` names each table's columns, and `report` holds its rows under that key. */
export function reportTableCsv<Table extends string>(
  tables: Record<Table, readonly string[]>,
  report: Record<Table, readonly Record<string, ReportCell>[]>,
  table: Table,
): string {
  return reportCsv(tables[table], report[table]);
}
