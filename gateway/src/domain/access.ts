import { first, type SqlReader } from "../db/reader";
import { ApiError } from "../http/errors";
import type { Agreement, Program } from "./programs";

export type ProgramAccess = { program: Program; agreement: Agreement };

type AccessRow = {
  id: string;
  partner_id: string;
  name: string;
  point_name: string;
  settlement_currency: string;
  issue_price_micros: number;
  redeem_price_micros: number;
  points_expire_after_days: number | null;
  created_at: number;
  agreement_id: string;
  can_earn: number;
  can_burn: number;
  agreement_issue_price_micros: number;
  agreement_redeem_price_micros: number;
  earn_points: number;
  earn_per_amount_minor: number;
  valid_from: number;
  agreement_created_at: number;
};

/** On every movement: one plain query (no per-call query building) for the program and the agreement in force. */
const accessQuery = `
  select p.id, p.partner_id, p.name, p.point_name, p.settlement_currency, p.issue_price_micros, p.redeem_price_micros,
         p.points_expire_after_days, p.created_at,
         a.id as agreement_id, a.can_earn, a.can_burn, a.issue_price_micros as agreement_issue_price_micros,
         a.redeem_price_micros as agreement_redeem_price_micros, a.earn_points, a.earn_per_amount_minor, a.valid_from,
         a.created_at as agreement_created_at
  from programs p join agreements a on a.program_id = p.id and a.partner_id = ?
  where p.id = ? and a.valid_from <= ?
  order by a.valid_from desc, a.id desc
  limit 1`;

/**
 * What a partner may do in a program right now: its agreement in force. Without one the program answers
 * 404, exactly as if it did not exist; with one that lacks the permission, 403 says which.
 */
export async function programAccess(
  reader: SqlReader,
  programId: string,
  partnerId: string,
  at: Date,
  need?: "earn" | "burn",
): Promise<ProgramAccess> {
  const row = await first<AccessRow>(reader, accessQuery, [partnerId, programId, at.getTime()]);
  if (!row) throw new ApiError("not_found", `No program ${programId}.`);
  const access: ProgramAccess = {
    program: {
      id: row.id,
      partnerId: row.partner_id,
      name: row.name,
      pointName: row.point_name,
      settlementCurrency: row.settlement_currency,
      issuePriceMicros: row.issue_price_micros,
      redeemPriceMicros: row.redeem_price_micros,
      pointsExpireAfterDays: row.points_expire_after_days,
      createdAt: new Date(row.created_at),
    },
    agreement: {
      id: row.agreement_id,
      programId: row.id,
      partnerId,
      canEarn: row.can_earn === 1,
      canBurn: row.can_burn === 1,
      issuePriceMicros: row.agreement_issue_price_micros,
      redeemPriceMicros: row.agreement_redeem_price_micros,
      earnPoints: row.earn_points,
      earnPerAmountMinor: row.earn_per_amount_minor,
      validFrom: new Date(row.valid_from),
      createdAt: new Date(row.agreement_created_at),
    },
  };
  if (need === "earn" && !access.agreement.canEarn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow earning.`);
  if (need === "burn" && !access.agreement.canBurn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow burning.`);
  return access;
}
