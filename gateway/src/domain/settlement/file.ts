import { statementCsv } from "./csv";
import type { IssuedStatement } from "./find";
import { statementPdf } from "./pdf";

export type StatementFormat = "csv" | "pdf";

export const statementContentTypes: Record<StatementFormat, string> = {
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

/** A statement as a download: its bytes and the headers that name it (`stm_...-<period start>.csv`). */
export async function statementFile(
  statement: IssuedStatement,
  format: StatementFormat,
): Promise<{ body: string | Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
  const filename = `${statement.id}-${statement.period.start.slice(0, 10)}.${format}`;
  return {
    body: format === "csv" ? statementCsv(statement) : ((await statementPdf(statement)) as Uint8Array<ArrayBuffer>),
    headers: {
      "Content-Type": statementContentTypes[format],
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  };
}
