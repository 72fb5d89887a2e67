import type { SqlReader } from "../../db/reader";

export type LineKind = "points_issued" | "points_redeemed" | "conversion_out" | "conversion_in" | "breakage";
/** Receivable: the counterparty owes the partner. Payable: the partner owes it. Memo: no one pays (own program, breakage). */
export type Direction = "receivable" | "payable" | "memo";

/** One movement's share of one partner's statement, before lines are summed and priced. */
export type Contribution = {
  partnerId: string;
  kind: LineKind;
  direction: Direction;
  counterpartyId: string | null;
  programId: string;
  currency: string;
  priceMicros: number;
  points: number;
};

type MovementRow = {
  id: string;
  type: string;
  points: number;
  program_id: string;
  partner_id: string;
  reference: string | null;
  created_at: number;
  owner_id: string;
  currency: string;
  original_type: string | null;
  original_partner_id: string | null;
  original_created_at: number | null;
};

type AgreementRow = {
  program_id: string;
  partner_id: string;
  issue_price_micros: number;
  redeem_price_micros: number;
  valid_from: number;
};

type ConversionRow = {
  id: string;
  from_owner_id: string;
  to_owner_id: string;
  to_program_id: string;
  settlement_price_micros: number;
  settlement_currency: string;
};

/**
 * Every movement not yet settled and made before `end`, as statement contributions priced with the agreement
 * in force when it happened (a reversal with its original's). Also returns the ids of every unsettled
 * transaction read, money-moving or not, so the close marks exactly what it settled.
 */
export async function unsettledContributions(
  reader: SqlReader,
  end: Date,
): Promise<{ contributions: Contribution[]; transactionIds: string[] }> {
  const movements = await reader.all<MovementRow>(
    `select t.id, t.type, t.points, t.program_id, t.partner_id, t.reference, t.created_at,
            p.partner_id as owner_id, p.settlement_currency as currency,
            o.type as original_type, o.partner_id as original_partner_id, o.created_at as original_created_at
     from ledger_transactions t
     join programs p on p.id = t.program_id
     left join ledger_transactions o on o.id = t.original_transaction_id
     where t.settlement_period_id is null and t.created_at < ?
     order by t.created_at, t.id`,
    [end.getTime()],
  );
  const agreements = await reader.all<AgreementRow>(
    "select program_id, partner_id, issue_price_micros, redeem_price_micros, valid_from from agreements order by valid_from",
  );
  const conversionIds = movements.filter((m) => m.type === "conversion_in" && m.reference).map((m) => m.reference);
  const conversions = new Map<string, ConversionRow>();
  for (let i = 0; i < conversionIds.length; i += 500) {
    const chunk = conversionIds.slice(i, i + 500);
    const rows = await reader.all<ConversionRow>(
      `select c.id, f.partner_id as from_owner_id, d.partner_id as to_owner_id, c.to_program_id,
              c.settlement_price_micros, c.settlement_currency
       from conversions c join programs f on f.id = c.from_program_id join programs d on d.id = c.to_program_id
       where c.id in (${chunk.map(() => "?").join(", ")})`,
      chunk as string[],
    );
    for (const row of rows) conversions.set(row.id, row);
  }

  /** The agreement of a partner in a program in force at `at` (the latest from on or before it). */
  const agreementAt = (programId: string, partnerId: string, at: number): AgreementRow => {
    let found: AgreementRow | undefined;
    for (const agreement of agreements)
      if (agreement.program_id === programId && agreement.partner_id === partnerId) {
        if (agreement.valid_from <= at || !found) found = agreement;
        if (agreement.valid_from > at) break;
      }
    if (!found) throw new Error(`no agreement of ${partnerId} in ${programId} to price a movement`);
    return found;
  };

  const contributions: Contribution[] = [];
  /** Both sides of a movement between `payer` and `payee`, or one memo line when they are the same partner. */
  const between = (
    payer: string,
    payee: string,
    line: Omit<Contribution, "partnerId" | "direction" | "counterpartyId">,
  ) => {
    if (payer === payee) {
      contributions.push({ ...line, partnerId: payer, direction: "memo", counterpartyId: payer });
      return;
    }
    contributions.push({ ...line, partnerId: payer, direction: "payable", counterpartyId: payee });
    contributions.push({ ...line, partnerId: payee, direction: "receivable", counterpartyId: payer });
  };

  for (const m of movements) {
    const base = { programId: m.program_id, currency: m.currency };
    const type = m.type === "reversal" ? m.original_type : m.type;
    const partnerId = m.type === "reversal" ? (m.original_partner_id ?? m.partner_id) : m.partner_id;
    const pricedAt = m.type === "reversal" ? (m.original_created_at ?? m.created_at) : m.created_at;
    const points = m.type === "reversal" ? -m.points : m.points;
    if (type === "earn") {
      // The earning partner pays the program's owner for the points it issued.
      const price = agreementAt(m.program_id, partnerId, pricedAt).issue_price_micros;
      between(partnerId, m.owner_id, { ...base, kind: "points_issued", priceMicros: price, points });
    } else if (type === "burn") {
      // The program's owner reimburses the partner that accepted the points.
      const price = agreementAt(m.program_id, partnerId, pricedAt).redeem_price_micros;
      between(m.owner_id, partnerId, { ...base, kind: "points_redeemed", priceMicros: price, points });
    } else if (m.type === "expiry") {
      const price = agreementAt(m.program_id, m.owner_id, m.created_at).redeem_price_micros;
      contributions.push({
        ...base,
        partnerId: m.owner_id,
        kind: "breakage",
        direction: "memo",
        counterpartyId: null,
        priceMicros: price,
        points,
      });
    } else if (m.type === "conversion_in") {
      // The source program's owner pays the destination's owner for the points it issued, at the price fixed
      // when the conversion executed.
      const conversion = m.reference ? conversions.get(m.reference) : undefined;
      if (!conversion) throw new Error(`conversion leg ${m.id} without its conversion`);
      const line = {
        programId: conversion.to_program_id,
        currency: conversion.settlement_currency,
        priceMicros: conversion.settlement_price_micros,
        points,
      };
      if (conversion.from_owner_id === conversion.to_owner_id)
        contributions.push({
          ...line,
          partnerId: conversion.from_owner_id,
          kind: "conversion_out",
          direction: "memo",
          counterpartyId: conversion.to_owner_id,
        });
      else {
        const payer = conversion.from_owner_id;
        const payee = conversion.to_owner_id;
        contributions.push({
          ...line,
          partnerId: payer,
          kind: "conversion_out",
          direction: "payable",
          counterpartyId: payee,
        });
        contributions.push({
          ...line,
          partnerId: payee,
          kind: "conversion_in",
          direction: "receivable",
          counterpartyId: payer,
        });
      }
    }
  }
  return { contributions, transactionIds: movements.map((m) => m.id) };
}
