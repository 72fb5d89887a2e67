import { first, type SqlReader } from "../db/reader";
import { ApiError } from "../errors";
import { type BreachAction, noVelocityRules, type VelocityRules } from "./fraud/rules";
import type { Member } from "./members";
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
  review_threshold_points: number | null;
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

const programColumns = `p.id, p.partner_id, p.name, p.point_name, p.settlement_currency, p.issue_price_micros,
  p.redeem_price_micros, p.points_expire_after_days, p.review_threshold_points, p.created_at,
  a.id as agreement_id, a.can_earn, a.can_burn, a.issue_price_micros as agreement_issue_price_micros,
  a.redeem_price_micros as agreement_redeem_price_micros, a.earn_points, a.earn_per_amount_minor, a.valid_from,
  a.created_at as agreement_created_at`;

/** The program and the partner's agreement in force: one plain query, no per-call query building. */
const accessQuery = `
  select ${programColumns}
  from programs p join agreements a on a.program_id = p.id and a.partner_id = ?
  where p.id = ? and a.valid_from <= ?
  order by a.valid_from desc, a.id desc
  limit 1`;

/** The same, with the member and its two balances, for the routes that act on one member. */
const memberAccessQuery = `
  select ${programColumns},
         m.id as member_id, m.external_id, m.email, m.name as member_name, m.locale, m.enrolled_by, m.lifetime_earned,
         m.created_at as member_created_at, ma.balance as available, mh.balance as pending,
         v.max_earn_points_per_member_per_day, v.max_burns_per_member_per_hour, v.burn_action,
         v.max_conversion_points_per_member_per_day, v.conversion_action, v.hold_first_conversion_to_new_destination
  from programs p join agreements a on a.program_id = p.id and a.partner_id = ?
  left join program_velocity_rules v on v.program_id = p.id
  left join members m on m.program_id = p.id and m.external_id = ?
  left join accounts ma on ma.id = m.id
  left join accounts mh on mh.id = m.id || ':hold'
  where p.id = ? and a.valid_from <= ?
  order by a.valid_from desc, a.id desc
  limit 1`;

type MemberAccessRow = AccessRow & {
  member_id: string | null;
  external_id: string;
  email: string | null;
  member_name: string | null;
  locale: string | null;
  enrolled_by: string;
  lifetime_earned: number;
  member_created_at: number;
  available: number | null;
  pending: number | null;
  max_earn_points_per_member_per_day: number | null;
  max_burns_per_member_per_hour: number | null;
  burn_action: BreachAction | null;
  max_conversion_points_per_member_per_day: number | null;
  conversion_action: BreachAction | null;
  hold_first_conversion_to_new_destination: number | null;
};

export type MemberAccess = ProgramAccess & { member: Member; available: number; pending: number; rules: VelocityRules };

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
  return checked(toAccess(row, partnerId), need);
}

/**
 * `programAccess` plus the member (by `external_id`) and its balances, in one query: the hot routes
 * (earn, burn, balance) read all they need before writing with a single round trip.
 */
export async function memberAccess(
  reader: SqlReader,
  programId: string,
  externalId: string,
  partnerId: string,
  at: Date,
  need?: "earn" | "burn",
): Promise<MemberAccess> {
  const row = await first<MemberAccessRow>(reader, memberAccessQuery, [partnerId, externalId, programId, at.getTime()]);
  if (!row) throw new ApiError("not_found", `No program ${programId}.`);
  const access = checked(toAccess(row, partnerId), need);
  if (row.member_id === null) throw new ApiError("not_found", `No member ${externalId} in program ${programId}.`);
  return {
    ...access,
    member: {
      id: row.member_id,
      programId,
      externalId: row.external_id,
      email: row.email,
      name: row.member_name,
      locale: row.locale,
      enrolledBy: row.enrolled_by,
      lifetimeEarned: row.lifetime_earned,
      createdAt: new Date(row.member_created_at),
    },
    available: row.available ?? 0,
    pending: row.pending ?? 0,
    rules: {
      maxEarnPointsPerMemberPerDay: row.max_earn_points_per_member_per_day,
      maxBurnsPerMemberPerHour: row.max_burns_per_member_per_hour,
      burnAction: row.burn_action ?? noVelocityRules.burnAction,
      maxConversionPointsPerMemberPerDay: row.max_conversion_points_per_member_per_day,
      conversionAction: row.conversion_action ?? noVelocityRules.conversionAction,
      reviewThresholdPoints: access.program.reviewThresholdPoints,
      holdFirstConversionToNewDestination: row.hold_first_conversion_to_new_destination === 1,
    },
  };
}

function toAccess(row: AccessRow, partnerId: string): ProgramAccess {
  return {
    program: {
      id: row.id,
      partnerId: row.partner_id,
      name: row.name,
      pointName: row.point_name,
      settlementCurrency: row.settlement_currency,
      issuePriceMicros: row.issue_price_micros,
      redeemPriceMicros: row.redeem_price_micros,
      pointsExpireAfterDays: row.points_expire_after_days,
      reviewThresholdPoints: row.review_threshold_points,
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
}

function checked<T extends ProgramAccess>(access: T, need?: "earn" | "burn"): T {
  const programId = access.program.id;
  if (need === "earn" && !access.agreement.canEarn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow earning.`);
  if (need === "burn" && !access.agreement.canBurn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow burning.`);
  return access;
}
