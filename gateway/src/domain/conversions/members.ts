import { first, type SqlReader } from "../../db/reader";
import { ApiError } from "../../errors";

export type Counterpart = {
  programId: string;
  ownerPartnerId: string;
  pointsExpireAfterDays: number | null;
  issuePriceMicros: number;
  settlementCurrency: string;
  memberId: string;
  externalId: string;
};

/**
 * The destination side of a conversion: the member the points go to, found by the number a member types
 * (its `external_id` in the destination program). The caller needs no agreement with that program.
 */
export async function destinationMember(
  reader: SqlReader,
  programId: string,
  externalId: string,
): Promise<Counterpart> {
  const row = await first<{
    program_id: string;
    partner_id: string;
    points_expire_after_days: number | null;
    issue_price_micros: number;
    settlement_currency: string;
    member_id: string | null;
    external_id: string | null;
  }>(
    reader,
    `select p.id as program_id, p.partner_id, p.points_expire_after_days, p.issue_price_micros, p.settlement_currency,
            m.id as member_id, m.external_id
     from programs p left join members m on m.program_id = p.id and m.external_id = ?
     where p.id = ?`,
    [externalId, programId],
  );
  if (!row) throw new ApiError("not_found", `No program ${programId}.`);
  if (!row.member_id || !row.external_id)
    throw new ApiError("not_found", `No member ${externalId} in program ${programId}.`);
  return {
    programId: row.program_id,
    ownerPartnerId: row.partner_id,
    pointsExpireAfterDays: row.points_expire_after_days,
    issuePriceMicros: row.issue_price_micros,
    settlementCurrency: row.settlement_currency,
    memberId: row.member_id,
    externalId: row.external_id,
  };
}
