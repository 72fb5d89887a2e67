import { z } from "@hono/zod-openapi";
import { defaultRangeDays } from "../../domain/reports/range";

/** What the program reports' ranges say in the API document. */
export const rangeDescription =
  `\`from\` and \`to\` are local dates (YYYY-MM-DD) of the program's \`timezone\`, \`to\` included: the range runs ` +
  "from the first day's local midnight to the midnight after the last, so a day across a daylight-saving change " +
  `lasts 23 or 25 hours. Without them, the last ${defaultRangeDays} days ending today (local); with only \`from\`, ` +
  `up to today; with only \`to\`, the ${defaultRangeDays} days ending then. A date that is not a calendar day, or a ` +
  "`to` before `from`, answers 400 naming it.";

const day = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD")
    .optional()
    .openapi({ description: what, example: "2026-11-01" });

/** `from` and `to` of a report: local dates, both included. */
export const ReportRangeQuery = z
  .object({
    from: day("The range's first local date (included)"),
    to: day("The range's last local date (included)"),
  })
  .strict();

/**
 * The query of a report's CSV download: the range, and which of the report's `tables` (its JSON arrays; the first
 * by default).
 */
export const reportCsvQuery = <const Tables extends readonly [string, ...string[]]>(tables: Tables) =>
  ReportRangeQuery.extend({
    table: z
      .enum(tables)
      .default(tables[0])
      .openapi({ description: `Which table of the report: its JSON array of that name (default \`${tables[0]}\`)` }),
  }).strict();

/** The fields every program report starts with. */
export const programReportHead = {
  program_id: z.string(),
  timezone: z.string().openapi({ description: "The program's zone, whose local dates the range is", example: "UTC" }),
  from: z.iso.date().openapi({ description: "The range's first local date", example: "2026-11-01" }),
  to: z.iso.date().openapi({ description: "The range's last local date (included)", example: "2026-11-30" }),
};

/** A report table's CSV as a download named after the report, the table and the range. */
export const csvDownload = (csv: string, name: string) => ({
  body: csv,
  headers: {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}.csv"`,
    "Cache-Control": "private, no-store",
  },
});

/** How a report's CSV is described, after what the table holds. */
export const csvDescription =
  "RFC 4180 (CRLF, quoted where needed), UTF-8 with a byte order mark; the header row is the JSON field names and " +
  "each row a JSON row's values (null: an empty cell). Cells that would start a spreadsheet formula get a leading " +
  "apostrophe; plain numbers are left as they are.";
