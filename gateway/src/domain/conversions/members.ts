import { findProgramMember } from "../../db/queries/conversions";
import type { SqlReader } from "../../db/reader";
import { ApiError } from "../../errors";
import { ensureNotErased } from "../privacy/erased";
import { ensureOpen } from "../programs";

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
 * (its `external_id` in the destination program). The caller needs no agreement with that program. A closed
 * destination program, or an erased member, takes no points (409 `invalid_state`).
 */
export async function destinationMember(
  reader: SqlReader,
  programId: string,
  externalId: string,
): Promise<Counterpart> {
  const found = await findProgramMember(reader, programId, externalId);
  if (!found) throw new ApiError("not_found", `No program ${programId}.`);
  if (!found.member) throw new ApiError("not_found", `No member ${externalId} in program ${programId}.`);
  // Converting into a program is earning there.
  ensureOpen(found.program);
  ensureNotErased({ ...found.member, programId });
  return {
    programId: found.program.id,
    ownerPartnerId: found.program.partnerId,
    pointsExpireAfterDays: found.program.pointsExpireAfterDays,
    issuePriceMicros: found.program.issuePriceMicros,
    settlementCurrency: found.program.settlementCurrency,
    memberId: found.member.id,
    externalId: found.member.externalId,
  };
}
