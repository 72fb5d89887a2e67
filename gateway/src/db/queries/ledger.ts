import { eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { ledgerTransactions, members, type programs, reviews } from "../schema";
import type { Statement } from "../writer";
import { balanceOf, type NewAccount } from "./accounts";
import { assertStatement } from "./assertions";
import { both, type PageQuery, pageBy } from "./pages";
import { fromSqlRow, type Prefixed, type SqlRow, selectList } from "./rows";

/** A journal transaction as written: the columns the write and later reversals fill in are left out. */
type NewTransaction = Omit<
  typeof ledgerTransactions.$inferInsert,
  "reversedPoints" | "balanceAfter" | "settlementPeriodId"
>;

/** A journal row to write, with the account whose balance it records and what later rows of its batch move it. */
export type TransactionInsert = {
  transaction: NewTransaction;
  /** The account `balance_after` speaks of. */
  balanceAccountId: string;
  /** What transactions after this one in the same batch move that account (the batch moves each balance once). */
  later: number;
};

/** D1 binds at most 100 arguments to a statement: 4 rows of 22. */
const transactionsPerStatement = 4;

/**
 * The journal rows of a batch, several per statement (each statement costs the writer a step); each row's
 * `balance_after` is the balance of its account as the batch leaves it, less what later rows move it.
 */
export function insertTransactionsStatements(inserts: readonly TransactionInsert[]): Statement[] {
  const statements: Statement[] = [];
  for (let start = 0; start < inserts.length; start += transactionsPerStatement) {
    const chunk = inserts.slice(start, start + transactionsPerStatement);
    statements.push({
      sql: `insert into ledger_transactions (id, type, program_id, member_id, partner_id, points, reversed_points, balance_after,
              reference, description, original_transaction_id, expires_at, purchase_amount_minor, purchase_currency,
              channel, store_id, reason, actor, bonus_source, bonus_source_id, parent_transaction_id, created_at)
            values ${chunk
              .map(
                () =>
                  "(?, ?, ?, ?, ?, ?, 0, (select balance from accounts where id = ?) - ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              )
              .join(", ")}`,
      args: chunk.flatMap(({ transaction: t, balanceAccountId, later }) => [
        t.id,
        t.type,
        t.programId,
        t.memberId,
        t.partnerId,
        t.points,
        ...balanceOf(balanceAccountId).args,
        later,
        t.reference ?? null,
        t.description ?? null,
        t.originalTransactionId ?? null,
        t.expiresAt?.getTime() ?? null,
        t.purchaseAmountMinor ?? null,
        t.purchaseCurrency ?? null,
        t.channel ?? null,
        t.storeId ?? null,
        t.reason ?? null,
        t.actor ?? null,
        t.bonusSource ?? null,
        t.bonusSourceId ?? null,
        t.parentTransactionId ?? null,
        t.createdAt.getTime(),
      ]),
    });
  }
  return statements;
}

/** A leg of a transaction, as `insertEntriesStatements` writes it: the legs of a transaction sum to zero. */
export type Entry = {
  transaction: Pick<NewTransaction, "id" | "createdAt">;
  account: Pick<NewAccount, "id" | "programId">;
  amount: number;
};

/** D1 binds at most 100 arguments to a statement: 20 entries of 5. */
const entriesPerStatement = 20;

/** The legs of a batch's transactions, many rows per statement (each statement costs the writer a step). */
export function insertEntriesStatements(entries: readonly Entry[]): Statement[] {
  const statements: Statement[] = [];
  for (let start = 0; start < entries.length; start += entriesPerStatement) {
    const chunk = entries.slice(start, start + entriesPerStatement);
    statements.push({
      sql: `insert into ledger_entries (transaction_id, program_id, account_id, amount, created_at) values ${chunk
        .map(() => "(?, ?, ?, ?, ?)")
        .join(", ")}`,
      args: chunk.flatMap(({ transaction, account, amount }) => [
        transaction.id,
        account.programId,
        account.id,
        amount,
        transaction.createdAt.getTime(),
      ]),
    });
  }
  return statements;
}

/** Counts a reversal against its original; the CHECK refuses the whole unit beyond the original's points. */
export const addToReversedPoints = (transactionId: string, points: number): Statement => ({
  sql: "update ledger_transactions set reversed_points = reversed_points + ? where id = ?",
  args: [points, transactionId],
});

/**
 * `points` are stored as a magnitude (a CHECK keeps them positive) and the type says the direction, except for an
 * adjustment, which credits or debits: its member entry says which (the member's account id is its member id).
 * One indexed lookup, made only for adjustments: a `case`, since SQLite ran the `exists` of `type = 'adjustment' and
 * exists (...)` for every row (a member's page of 100 transactions took 26 ms instead of 1.5 ms with 2,000 of them).
 * The lookup is by the transaction's two legs: the unary `+` keeps SQLite from reading the member's every entry by
 * `ledger_entries_account` instead (a program's 8,900 adjustments among 900,000 rows: 0.98 s against 0.41 s in all).
 */
export const adjustmentDebitSql = (t: string) =>
  `(case when ${t}.type = 'adjustment' then exists (select 1 from ledger_entries d
     where d.transaction_id = ${t}.id and +d.account_id = ${t}.member_id and d.amount < 0) else 0 end)`;

/** `adjustmentDebitSql` as a drizzle column of a select on `ledger_transactions`. */
const debitColumn = sql<number>`${sql.raw(adjustmentDebitSql('"ledger_transactions"'))}`.mapWith(Boolean);

/** A transaction with its member, whoever's it is: the caller decides who may see it. */
export async function findTransactionWithMember(db: Db, id: string) {
  const row = await db
    .select({ transaction: ledgerTransactions, member: members, debit: debitColumn })
    .from(ledgerTransactions)
    .innerJoin(members, eq(members.id, ledgerTransactions.memberId))
    .where(eq(ledgerTransactions.id, id))
    .get();
  return row && { transaction: { ...row.transaction, debit: row.debit }, member: row.member };
}

/** A page of a member's transactions, newest first; `debit` says which way an adjustment went. */
export async function listMemberTransactionsPage(db: Db, memberId: string, query: PageQuery) {
  const page = pageBy(ledgerTransactions.id, query);
  const rows = await db
    .select({ ...getTableColumns(ledgerTransactions), debit: debitColumn })
    .from(ledgerTransactions)
    .where(both(eq(ledgerTransactions.memberId, memberId), page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

type HeldBurnRow = SqlRow<typeof reviews> &
  Pick<SqlRow<typeof members>, "external_id"> &
  Prefixed<Pick<SqlRow<typeof programs>, "partner_id">, "owner_">;

const heldBurnQuery = `
  select ${selectList(reviews, "r")}, m.external_id, p.partner_id as owner_partner_id
  from reviews r join members m on m.id = r.member_id join programs p on p.id = r.program_id
  where r.id = ? and r.kind = 'burn'`;

/** A burn held for review, with its member's `external_id` and the partner that owns the program. */
export async function findHeldBurn(reader: SqlReader, reviewId: string) {
  const row = await first<HeldBurnRow>(reader, heldBurnQuery, [reviewId]);
  return row && { review: fromSqlRow(reviews, row), externalId: row.external_id, ownerPartnerId: row.owner_partner_id };
}

/** The accrual and promotion bonuses of an earn paid to its own member, which its reversals take back in proportion. */
export async function findReversibleBonuses(reader: SqlReader, earn: { id: string; memberId: string }) {
  const rows = await reader.all<
    Pick<SqlRow<typeof ledgerTransactions>, "id" | "points" | "reversed_points" | "bonus_source" | "bonus_source_id">
  >(
    `select id, points, reversed_points, bonus_source, bonus_source_id from ledger_transactions
     where parent_transaction_id = ? and member_id = ? and type = 'bonus' and bonus_source in ('tier', 'promotion')
     order by id`,
    [earn.id, earn.memberId],
  );
  return rows.map((row) => ({
    id: row.id,
    points: row.points,
    reversedPoints: row.reversed_points,
    bonusSource: row.bonus_source as "tier" | "promotion",
    bonusSourceId: row.bonus_source_id as string,
  }));
}

/** How many of a transaction's points reversals have taken back so far. */
export async function findReversedPoints(reader: SqlReader, id: string): Promise<number | undefined> {
  const row = await first<Pick<SqlRow<typeof ledgerTransactions>, "reversed_points">>(
    reader,
    "select reversed_points from ledger_transactions where id = ?",
    [id],
  );
  return row?.reversed_points;
}

/** Refuses a reversal's write (a `StaleWrite`) unless the original's reversed points are still what it read. */
export const assertReversedPoints = (id: string, reversedPoints: number): Statement =>
  assertStatement("(select reversed_points from ledger_transactions where id = ?) = ?", [id, reversedPoints]);

/** The types of transactions by id (a page's reversals' originals, say); ids not found are left out. */
export async function findTransactionTypes(reader: SqlReader, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, SqlRow<typeof ledgerTransactions>["type"]>();
  const rows = await reader.all<Pick<SqlRow<typeof ledgerTransactions>, "id" | "type">>(
    `select id, type from ledger_transactions where id in (${ids.map(() => "?").join(", ")})`,
    [...ids],
  );
  return new Map(rows.map((row) => [row.id, row.type]));
}
