import type { SqlReader } from "../reader";
import type { agreements, conversions, ledgerTransactions, programs } from "../schema";
import type { SqlValue } from "../writer";
import { adjustmentDebitSql } from "./ledger";
import type { SqlRow } from "./rows";

type TransactionRow = SqlRow<typeof ledgerTransactions>;
type ProgramRow = SqlRow<typeof programs>;

/** A movement to settle (or a period settled), with its program's owner and currency and, for a reversal, what it reverses. */
export type SettlementMovement = {
  id: string;
  type: TransactionRow["type"];
  points: number;
  programId: string;
  partnerId: string;
  reference: string | null;
  createdAt: Date;
  ownerId: string;
  currency: string;
  original: { type: TransactionRow["type"]; partnerId: string; createdAt: Date } | null;
  /** For an adjustment: whether it debited the member (its `points` are a magnitude, as every type's). */
  debit: boolean;
};

type MovementRow = Pick<
  TransactionRow,
  "id" | "type" | "points" | "program_id" | "partner_id" | "reference" | "created_at"
> & {
  owner_id: ProgramRow["partner_id"];
  currency: ProgramRow["settlement_currency"];
  original_type: TransactionRow["type"] | null;
  original_partner_id: TransactionRow["partner_id"] | null;
  original_created_at: TransactionRow["created_at"] | null;
  debit: number;
};

/** Every transaction not settled yet and made before `end`, oldest first. */
export async function listUnsettledMovements(reader: SqlReader, end: Date): Promise<SettlementMovement[]> {
  return listMovements(reader, "t.settlement_period_id is null and t.created_at < ?", [end.getTime()]);
}

/** Every transaction a period settled (marked with its id), oldest first. */
export async function listPeriodMovements(reader: SqlReader, periodId: string): Promise<SettlementMovement[]> {
  return listMovements(reader, "t.settlement_period_id = ?", [periodId]);
}

async function listMovements(reader: SqlReader, where: string, args: SqlValue[]): Promise<SettlementMovement[]> {
  const rows = await reader.all<MovementRow>(
    `select t.id, t.type, t.points, t.program_id, t.partner_id, t.reference, t.created_at,
            p.partner_id as owner_id, p.settlement_currency as currency,
            o.type as original_type, o.partner_id as original_partner_id, o.created_at as original_created_at,
            ${adjustmentDebitSql("t")} as debit
     from ledger_transactions t
     join programs p on p.id = t.program_id
     left join ledger_transactions o on o.id = t.original_transaction_id
     where ${where}
     order by t.created_at, t.id`,
    args,
  );
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    points: row.points,
    programId: row.program_id,
    partnerId: row.partner_id,
    reference: row.reference,
    createdAt: new Date(row.created_at),
    ownerId: row.owner_id,
    currency: row.currency,
    original:
      row.original_type === null || row.original_partner_id === null || row.original_created_at === null
        ? null
        : { type: row.original_type, partnerId: row.original_partner_id, createdAt: new Date(row.original_created_at) },
    debit: Boolean(row.debit),
  }));
}

/** The prices of one partner's agreement in one program from `validFrom` on. */
export type AgreementPrices = {
  programId: string;
  partnerId: string;
  issuePriceMicros: number;
  redeemPriceMicros: number;
  validFrom: Date;
};

/** Every agreement's prices, oldest `valid_from` first. */
export async function listAgreementPrices(reader: SqlReader): Promise<AgreementPrices[]> {
  const rows = await reader.all<
    Pick<
      SqlRow<typeof agreements>,
      "program_id" | "partner_id" | "issue_price_micros" | "redeem_price_micros" | "valid_from"
    >
  >(
    "select program_id, partner_id, issue_price_micros, redeem_price_micros, valid_from from agreements order by valid_from",
  );
  return rows.map((row) => ({
    programId: row.program_id,
    partnerId: row.partner_id,
    issuePriceMicros: row.issue_price_micros,
    redeemPriceMicros: row.redeem_price_micros,
    validFrom: new Date(row.valid_from),
  }));
}

/** What a conversion owes: who pays whom, for which program, at the price fixed when it executed. */
export type ConversionObligation = {
  id: string;
  fromOwnerId: string;
  toOwnerId: string;
  toProgramId: string;
  priceMicros: number;
  currency: string;
};

/** The obligations of these conversions, by conversion id (in reads of at most 500 ids). */
export async function findConversionObligations(
  reader: SqlReader,
  ids: string[],
): Promise<Map<string, ConversionObligation>> {
  const obligations = new Map<string, ConversionObligation>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await reader.all<
      Pick<SqlRow<typeof conversions>, "id" | "to_program_id" | "settlement_price_micros" | "settlement_currency"> & {
        from_owner_id: ProgramRow["partner_id"];
        to_owner_id: ProgramRow["partner_id"];
      }
    >(
      `select c.id, f.partner_id as from_owner_id, d.partner_id as to_owner_id, c.to_program_id,
              c.settlement_price_micros, c.settlement_currency
       from conversions c join programs f on f.id = c.from_program_id join programs d on d.id = c.to_program_id
       where c.id in (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const row of rows)
      obligations.set(row.id, {
        id: row.id,
        fromOwnerId: row.from_owner_id,
        toOwnerId: row.to_owner_id,
        toProgramId: row.to_program_id,
        priceMicros: row.settlement_price_micros,
        currency: row.settlement_currency,
      });
  }
  return obligations;
}
