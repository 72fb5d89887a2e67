import type { SqlReader } from "../reader";

type Range = { since: Date; until: Date };

/** Points that flowed from one program to another by conversions in a range (named as the report's JSON). */
export type ConversionFlowRow = {
  from_program_id: string;
  from_program_name: string;
  from_partner_id: string;
  to_program_id: string;
  to_program_name: string;
  to_partner_id: string;
  conversions: number;
  from_points: number;
  to_points: number;
  fee_points: number;
};

/**
 * Conversions completed in `[since, until)` (when executed, or when approved after a review hold; held and rejected
 * ones moved nothing), per ordered program pair, with both programs' names and owners. Most points first.
 */
export async function sumConversionFlows(reader: SqlReader, range: Range): Promise<ConversionFlowRow[]> {
  return reader.all<ConversionFlowRow>(
    `select c.from_program_id, f.name as from_program_name, f.partner_id as from_partner_id,
            c.to_program_id, t.name as to_program_name, t.partner_id as to_partner_id,
            count(*) as conversions, sum(c.from_points) as from_points, sum(c.to_points) as to_points,
            sum(c.fee_points) as fee_points
     from conversions c
     join programs f on f.id = c.from_program_id
     join programs t on t.id = c.to_program_id
     where c.status = 'completed' and coalesce(c.decided_at, c.created_at) >= ? and coalesce(c.decided_at, c.created_at) < ?
     group by c.from_program_id, c.to_program_id
     order by from_points desc, c.from_program_id, c.to_program_id`,
    [range.since.getTime(), range.until.getTime()],
  );
}

/** What one partner owes another for one settlement period, in one currency, as their statements say. */
export type SettlementFlow = {
  periodId: string;
  periodStart: Date;
  periodEnd: Date;
  payerPartnerId: string;
  payerName: string;
  payeePartnerId: string;
  payeeName: string;
  currency: string;
  amountMinor: number;
  lines: number;
};

/**
 * The money between partners of every settlement period overlapping `[since, until)` (whole periods), from the
 * issued statements: the payable lines of each payer's statement summed per payee and currency (each line rounded
 * once, half to even, when issued; the payee's receivable lines are the same money, so they are not counted
 * again). Names as the statements print them. By period, then payer and payee.
 */
export async function sumSettlementFlows(reader: SqlReader, range: Range): Promise<SettlementFlow[]> {
  const rows = await reader.all<{
    period_id: string;
    period_start: number;
    period_end: number;
    payer_partner_id: string;
    payer_name: string;
    payee_partner_id: string;
    payee_name: string;
    currency: string;
    amount_minor: number;
    lines: number;
  }>(
    `select p.id as period_id, p.start as period_start, p."end" as period_end,
            s.partner_id as payer_partner_id, max(json_extract(s.document, '$.partner.name')) as payer_name,
            json_extract(l.value, '$.counterparty.id') as payee_partner_id,
            max(json_extract(l.value, '$.counterparty.name')) as payee_name,
            s.currency, sum(json_extract(l.value, '$.amount_minor')) as amount_minor, count(*) as lines
     from settlement_periods p
     join statements s on s.period_id = p.id
     join json_each(s.document, '$.lines') l
     where p.start < ? and p."end" > ? and json_extract(l.value, '$.direction') = 'payable'
     group by p.id, s.partner_id, payee_partner_id, s.currency
     order by p.start, p.id, payer_name, payee_name, s.currency`,
    [range.until.getTime(), range.since.getTime()],
  );
  return rows.map((row) => ({
    periodId: row.period_id,
    periodStart: new Date(row.period_start),
    periodEnd: new Date(row.period_end),
    payerPartnerId: row.payer_partner_id,
    payerName: row.payer_name,
    payeePartnerId: row.payee_partner_id,
    payeeName: row.payee_name,
    currency: row.currency,
    amountMinor: row.amount_minor,
    lines: row.lines,
  }));
}
