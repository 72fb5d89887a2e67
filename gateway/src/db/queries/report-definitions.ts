import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { reportDefinitions } from "../schema";
import type { Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";

/** A saved ad-hoc report as stored: `definition` is the JSON of its dimensions, measures, filters and interval. */
export type ReportDefinitionRow = typeof reportDefinitions.$inferSelect;

/** The datasets an ad-hoc report reads (adhoc-*.ts), as the table names them. */
export const datasetNames = reportDefinitions.dataset.enumValues;
export type DatasetName = (typeof datasetNames)[number];

export const insertReportDefinitionStatement = (row: ReportDefinitionRow): Statement => ({
  sql: `insert into report_definitions (id, program_id, name, dataset, definition, created_by, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    row.id,
    row.programId,
    row.name,
    row.dataset,
    row.definition,
    row.createdBy,
    row.createdAt.getTime(),
    row.updatedAt.getTime(),
  ],
});

export const updateReportDefinitionStatement = (
  id: string,
  changes: Pick<ReportDefinitionRow, "name" | "dataset" | "definition" | "updatedAt">,
): Statement => ({
  sql: "update report_definitions set name = ?, dataset = ?, definition = ?, updated_at = ? where id = ?",
  args: [changes.name, changes.dataset, changes.definition, changes.updatedAt.getTime(), id],
});

export const deleteReportDefinitionStatement = (id: string): Statement => ({
  sql: "delete from report_definitions where id = ?",
  args: [id],
});

export async function findReportDefinition(db: Db, id: string): Promise<ReportDefinitionRow | undefined> {
  return db.select().from(reportDefinitions).where(eq(reportDefinitions.id, id)).get();
}

/** A page of a program's saved reports, newest first. */
export async function listReportDefinitionsPage(db: Db, programId: string, query: PageQuery) {
  const page = pageBy(reportDefinitions.id, query);
  const rows = await db
    .select()
    .from(reportDefinitions)
    .where(both(eq(reportDefinitions.programId, programId), page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
