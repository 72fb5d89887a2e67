import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../client";
import type { SqlReader } from "../reader";
import {
  type agreements,
  type partners,
  type programs,
  settlementPeriods,
  statementIssues,
  statements,
} from "../schema";
import type { Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";
import type { SqlRow } from "./rows";

type SettlementPeriod = typeof settlementPeriods.$inferSelect;
type StatementRecord = typeof statements.$inferSelect;

/** D1 binds at most 100 parameters per statement. */
const idsPerStatement = 90;

/** The period closed last (the one with the latest end), if any. */
export async function findLastPeriod(db: Db): Promise<SettlementPeriod | undefined> {
  return db.select().from(settlementPeriods).orderBy(desc(settlementPeriods.end)).limit(1).get();
}

/** Every partner's and every program's name by id, for the statements' lines. */
export async function findNames(reader: SqlReader) {
  const [partnerRows, programRows] = await Promise.all([
    reader.all<Pick<SqlRow<typeof partners>, "id" | "name">>("select id, name from partners"),
    reader.all<Pick<SqlRow<typeof programs>, "id" | "name">>("select id, name from programs"),
  ]);
  return {
    partners: new Map(partnerRows.map((row) => [row.id, row.name])),
    programs: new Map(programRows.map((row) => [row.id, row.name])),
  };
}

/** Each partner with the currency of each program it has an agreement in (from before `end`). */
export async function listAgreementCurrencies(
  reader: SqlReader,
  end: Date,
): Promise<{ partnerId: string; currency: string }[]> {
  const rows = await reader.all<
    Pick<SqlRow<typeof agreements>, "partner_id"> & Pick<SqlRow<typeof programs>, "settlement_currency">
  >(
    `select distinct a.partner_id, p.settlement_currency
     from agreements a join programs p on p.id = a.program_id where a.valid_from < ?`,
    [end.getTime()],
  );
  return rows.map((row) => ({ partnerId: row.partner_id, currency: row.settlement_currency }));
}

/** The period's row. Its `previous_period_id` is unique, so of two closes after the same period one fails. */
export const insertPeriodStatement = (period: SettlementPeriod): Statement => ({
  sql: `insert into settlement_periods (id, start, end, previous_period_id, closed_by, created_at)
        values (?, ?, ?, ?, ?, ?)`,
  args: [
    period.id,
    period.start.getTime(),
    period.end.getTime(),
    period.previousPeriodId,
    period.closedBy,
    period.createdAt.getTime(),
  ],
});

export const insertSettlementStatement = (statement: StatementRecord): Statement => ({
  sql: `insert into statements (id, period_id, partner_id, currency, net_amount_minor, document, content_hash, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    statement.id,
    statement.periodId,
    statement.partnerId,
    statement.currency,
    statement.netAmountMinor,
    statement.document,
    statement.contentHash,
    statement.createdAt.getTime(),
  ],
});

/**
 * Marks the transactions settled by the period, in statements of at most 90 ids; a transaction already marked
 * (by another close) is left alone.
 */
export function markTransactionsSettledStatements(periodId: string, transactionIds: string[]): Statement[] {
  const writes: Statement[] = [];
  for (let i = 0; i < transactionIds.length; i += idsPerStatement) {
    const chunk = transactionIds.slice(i, i + idsPerStatement);
    writes.push({
      sql: `update ledger_transactions set settlement_period_id = ?
            where settlement_period_id is null and id in (${chunk.map(() => "?").join(", ")})`,
      args: [periodId, ...chunk],
    });
  }
  return writes;
}

/** A period by id, on the database `db` opens (with several databases, each holds the periods it marked). */
export async function findPeriod(db: Db, id: string): Promise<SettlementPeriod | undefined> {
  return db.select().from(settlementPeriods).where(eq(settlementPeriods.id, id)).get();
}

/** Whether the period's statements are issued: every close writes its issue row (schema/settlements.ts). */
export async function isPeriodIssued(db: Db, periodId: string): Promise<boolean> {
  return (await db.select().from(statementIssues).where(eq(statementIssues.periodId, periodId)).get()) !== undefined;
}

/**
 * One database's part of a close across databases: the period's row and every transaction of this database not
 * settled before and made before `end` marked with it, in one write. What it marks is what the statements sum.
 */
export function markPeriodStatements(period: SettlementPeriod): Statement[] {
  return [
    insertPeriodStatement(period),
    {
      sql: `update ledger_transactions set settlement_period_id = ?
            where settlement_period_id is null and created_at < ?`,
      args: [period.id, period.end.getTime()],
    },
  ];
}

/** The issue row of a period whose statements main holds; its primary key issues them once. */
export const insertStatementIssueStatement = (periodId: string, at: Date): Statement => ({
  sql: "insert into statement_issues (period_id, issued_at) values (?, ?)",
  args: [periodId, at.getTime()],
});

/** A statement by id; with a partner id, only that partner's. */
export async function findStatementRecord(
  db: Db,
  id: string,
  partnerId: string | null,
): Promise<StatementRecord | undefined> {
  return db
    .select()
    .from(statements)
    .where(partnerId ? and(eq(statements.id, id), eq(statements.partnerId, partnerId)) : eq(statements.id, id))
    .get();
}

type StatementFilters = { partnerId?: string; periodId?: string; currency?: string };

/** A page of statements with their periods, newest first. */
export async function listStatementsPage(db: Db, query: PageQuery, filters: StatementFilters) {
  const page = pageBy(statements.id, query);
  const rows = await db
    .select({ statement: statements, period: settlementPeriods })
    .from(statements)
    .innerJoin(settlementPeriods, eq(settlementPeriods.id, statements.periodId))
    .where(
      both(
        page.where,
        filters.partnerId ? eq(statements.partnerId, filters.partnerId) : undefined,
        filters.periodId ? eq(statements.periodId, filters.periodId) : undefined,
        filters.currency ? eq(statements.currency, filters.currency) : undefined,
      ),
    )
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
