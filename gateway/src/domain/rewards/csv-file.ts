import { CsvError, parse } from "csv-parse/sync";

/** A data row of an uploaded CSV file: the physical line it starts on (the header is line 1) and its cells. */
export type CsvRow = { line: number; cells: string[] };

/** A file as read: its header and data rows, or the one problem that stopped reading it. */
export type CsvFile = { header: string[]; rows: CsvRow[] } | { error: { line: number; message: string } };

const lineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/** What a parser error means to whoever wrote the file. */
function problemOf(error: CsvError): string {
  if (error.code === "CSV_QUOTE_NOT_CLOSED") return "a quoted field opened on this line is never closed";
  if (error.code === "CSV_INVALID_CLOSING_QUOTE")
    return 'a quote inside a quoted field must be doubled (""), and a closing quote followed by a comma or the line end';
  if (error.code === "INVALID_OPENING_QUOTE")
    return 'a field holding a quote must be quoted whole, its quotes doubled ("=HYPERLINK(""x"")")';
  return error.message;
}

/**
 * Reads a CSV file with csv-parse: a byte order mark is dropped, quoted fields may hold commas, quotes ("") and line
 * breaks, lines may end in \n or \r\n, and empty lines (or lines of empty cells) are skipped. Each row knows the
 * physical line it starts on, counted from the raw text csv-parse consumed (a quoted field spanning lines counts
 * them; its own `info.lines` counts \r\n inside quotes twice). Rows keep the cells they have; the caller checks
 * their number against the header.
 */
export function readCsv(text: string): CsvFile {
  const records: CsvRow[] = [];
  let consumed = 0;
  try {
    parse(text, {
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // With `raw`, csv-parse hands each record over as { record, raw }, and its context has the raw text too.
      on_record: (parsed: string[] | { record: string[] }, context) => {
        const cells = Array.isArray(parsed) ? parsed : parsed.record;
        const raw = context.raw ?? "";
        const line = consumed + lineBreaks(/^[\r\n]*/.exec(raw)?.[0] ?? "") + 1;
        consumed += lineBreaks(raw);
        if (!cells.every((cell) => cell === "")) records.push({ line, cells });
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) return { error: { line: consumed + 1, message: problemOf(error) } };
    throw error;
  }
  const [header, ...rows] = records;
  if (header?.line !== 1)
    return { error: { line: 1, message: "the first line must be the header row naming the columns" } };
  return { header: header.cells.map((cell) => cell.trim()), rows };
}
