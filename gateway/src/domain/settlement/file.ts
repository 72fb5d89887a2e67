import { statementCsv } from "./csv";
import type { IssuedStatement } from "./find";
import { statementPdf } from "./pdf";
import type { StatementLocale } from "./wording";

export type StatementFormat = "csv" | "pdf";

export const statementContentTypes: Record<StatementFormat, string> = {
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

/**
 * A statement as a download: its bytes and the headers that name it (`stm_...-<period start>.csv`). The status
 * both files state is as of `now`; the PDF is in `locale` (English unless asked), the CSV's words are fixed
 * identifiers for programs to read.
 */
export async function statementFile(
  statement: IssuedStatement,
  format: StatementFormat,
  options: { now: Date; locale?: StatementLocale },
): Promise<{ body: string | Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
  const filename = `${statement.id}-${statement.period.start.slice(0, 10)}.${format}`;
  return {
    body:
      format === "csv"
        ? statementCsv(statement, options.now)
        : ((await statementPdf(statement, options)) as Uint8Array<ArrayBuffer>),
    headers: {
      "Content-Type": statementContentTypes[format],
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  };
}
