import { findMemberAccess, findProgramAccess } from "../db/queries/access";
import type { SqlReader } from "../db/reader";
import { ApiError } from "../errors";
import { noVelocityRules, type VelocityRules } from "./fraud/rules";
import type { Member } from "./members";
import { type Agreement, ensureOpen, type Program } from "./programs";

export type ProgramAccess = { program: Program; agreement: Agreement };

/** A member's cards and RFM scores as stored, when read with the member (`memberAccess`'s `extras`). */
export type MemberExtras = NonNullable<Awaited<ReturnType<typeof findMemberAccess>>>["extras"];

export type MemberAccess = ProgramAccess & {
  member: Member;
  available: number;
  pending: number;
  rules: VelocityRules;
  extras?: MemberExtras;
  /** The terms epoch the read saw, for the route to confirm the caller's standing against (http/auth.ts). */
  termsEpoch: number | null;
};

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
  const access = await findProgramAccess(reader, programId, partnerId, at);
  if (!access) throw new ApiError("not_found", `No program ${programId}.`);
  return checked(access, need);
}

/**
 * `programAccess` plus the member (by `external_id`), its balances and the program's velocity rules, in one
 * query: the hot routes (earn, burn, balance) read all they need before writing with a single round trip. With
 * `extras` the member's cards and RFM scores come in the same query (the member GET shows them).
 */
export async function memberAccess(
  reader: SqlReader,
  programId: string,
  externalId: string,
  partnerId: string,
  at: Date,
  need?: "earn" | "burn",
  extras = false,
): Promise<MemberAccess> {
  const found = await findMemberAccess(reader, programId, externalId, partnerId, at, extras);
  if (!found) throw new ApiError("not_found", `No program ${programId}.`);
  const { program, agreement, member, available, pending, velocityRules } = checked(found, need);
  if (!member) throw new ApiError("not_found", `No member ${externalId} in program ${programId}.`);
  // A program without velocity rules has every rule off; its review threshold lives on the program.
  const rules: VelocityRules = {
    ...noVelocityRules,
    ...(velocityRules && {
      maxEarnPointsPerMemberPerDay: velocityRules.maxEarnPointsPerMemberPerDay,
      maxBurnsPerMemberPerHour: velocityRules.maxBurnsPerMemberPerHour,
      burnAction: velocityRules.burnAction,
      maxConversionPointsPerMemberPerDay: velocityRules.maxConversionPointsPerMemberPerDay,
      conversionAction: velocityRules.conversionAction,
      holdFirstConversionToNewDestination: velocityRules.holdFirstConversionToNewDestination,
    }),
    reviewThresholdPoints: program.reviewThresholdPoints,
  };
  return { program, agreement, member, available, pending, rules, extras: found.extras, termsEpoch: found.termsEpoch };
}

function checked<T extends ProgramAccess>(access: T, need?: "earn" | "burn"): T {
  const programId = access.program.id;
  if (need === "earn" && !access.agreement.canEarn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow earning.`);
  if (need === "earn") ensureOpen(access.program);
  if (need === "burn" && !access.agreement.canBurn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow burning.`);
  return access;
}
