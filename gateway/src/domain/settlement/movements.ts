import {
  type AgreementPrices,
  type ConversionObligation,
  findConversionObligations,
  listAgreementPrices,
  listUnsettledMovements,
  type SettlementMovement,
} from "../../db/queries/settlement-movements";
import type { SqlReader } from "../../db/reader";

export type LineKind =
  | "points_issued"
  | "bonus"
  | "points_redeemed"
  | "conversion_out"
  | "conversion_in"
  | "breakage"
  | "adjustment";
/**
 * Receivable: the counterparty owes the partner. Payable: the partner owes it. Memo: no one pays (own program,
 * breakage, adjustments, bonuses).
 */
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

/**
 * Every movement not yet settled and made before `end`, as statement contributions priced with the agreement
 * in force when it happened (a reversal with its original's). Also returns the ids of every unsettled
 * transaction read, money-moving or not, so the close marks exactly what it settled. Holds, releases and
 * transfers between members (`transfer_out`, `transfer_in`: points moving inside one program, whose fee stays in
 * the program's transfer fees account) move no money between partners: they add no line, whoever made them, and
 * need no agreement to price them (the fee, which no member spends again, included); the points a member
 * receives are settled like any when they are burned or expire.
 */
export async function unsettledContributions(
  reader: SqlReader,
  end: Date,
): Promise<{ contributions: Contribution[]; transactionIds: string[] }> {
  const movements = await listUnsettledMovements(reader, end);
  const agreements = await listAgreementPrices(reader);
  const conversions = await findConversionObligations(reader, convertedIds(movements));
  return {
    contributions: contributionsOf(movements, agreements, conversions),
    transactionIds: movements.map((m) => m.id),
  };
}

/** The conversions whose points these movements credited (each `conversion_in` names its conversion). */
export const convertedIds = (movements: SettlementMovement[]) =>
  movements.flatMap((m) => (m.type === "conversion_in" && m.reference ? [m.reference] : []));

/**
 * The movements as statement contributions, each priced with `agreements` (all of them, oldest first) and each
 * `conversion_in` with its conversion's obligation from `conversions`.
 */
export function contributionsOf(
  movements: SettlementMovement[],
  agreements: AgreementPrices[],
  conversions: ReadonlyMap<string, ConversionObligation>,
): Contribution[] {
  /** The agreement of a partner in a program in force at `at` (the latest from on or before it). */
  const agreementAt = (programId: string, partnerId: string, at: Date): AgreementPrices => {
    let found: AgreementPrices | undefined;
    for (const agreement of agreements)
      if (agreement.programId === programId && agreement.partnerId === partnerId) {
        if (agreement.validFrom <= at || !found) found = agreement;
        if (agreement.validFrom > at) break;
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
    const base = { programId: m.programId, currency: m.currency };
    // A reversal is priced as its original was, negated, on the statement of the original's partner.
    const original = m.type === "reversal" ? m.original : null;
    const type = m.type === "reversal" ? original?.type : m.type;
    const partnerId = original?.partnerId ?? m.partnerId;
    const pricedAt = original?.createdAt ?? m.createdAt;
    const points = m.type === "reversal" ? -m.points : m.points;
    if (type === "earn") {
      // The earning partner pays the program's owner for the points it issued.
      const price = agreementAt(m.programId, partnerId, pricedAt).issuePriceMicros;
      between(partnerId, m.ownerId, { ...base, kind: "points_issued", priceMicros: price, points });
    } else if (type === "burn") {
      // The program's owner reimburses the partner that accepted the points.
      const price = agreementAt(m.programId, partnerId, pricedAt).redeemPriceMicros;
      between(m.ownerId, partnerId, { ...base, kind: "points_redeemed", priceMicros: price, points });
    } else if (type === "bonus") {
      // A tier or promotion bonus is the owner's own issuance, whichever partner's earn caused it: priced like the
      // owner's earns, at its issue price in force when the bonus was written (a reversal: its bonus's, as for
      // earns), a memo line as those are (the owner pays its own program). Bonuses and their reversals net.
      const price = agreementAt(m.programId, m.ownerId, pricedAt).issuePriceMicros;
      between(m.ownerId, m.ownerId, { ...base, kind: "bonus", priceMicros: price, points });
    } else if (m.type === "adjustment") {
      // The owner's own issuance (or its return, for a debit), whoever made it: priced like the owner's earns, at
      // its issue price, it is a memo line as those are (the owner pays its own program). Credits and debits net.
      const price = agreementAt(m.programId, m.ownerId, m.createdAt).issuePriceMicros;
      between(m.ownerId, m.ownerId, {
        ...base,
        kind: "adjustment",
        priceMicros: price,
        points: m.debit ? -m.points : m.points,
      });
    } else if (m.type === "expiry") {
      const price = agreementAt(m.programId, m.ownerId, m.createdAt).redeemPriceMicros;
      contributions.push({
        ...base,
        partnerId: m.ownerId,
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
        programId: conversion.toProgramId,
        currency: conversion.currency,
        priceMicros: conversion.priceMicros,
        points,
      };
      if (conversion.fromOwnerId === conversion.toOwnerId)
        contributions.push({
          ...line,
          partnerId: conversion.fromOwnerId,
          kind: "conversion_out",
          direction: "memo",
          counterpartyId: conversion.toOwnerId,
        });
      else {
        const payer = conversion.fromOwnerId;
        const payee = conversion.toOwnerId;
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
  return contributions;
}
