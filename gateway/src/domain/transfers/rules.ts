import { findTransferRules, saveTransferRulesStatement } from "../../db/queries/transfer-rules";
import type { transferRules } from "../../db/schema";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, findProgramForPartner, managedProgram } from "../programs";

/** A program's rules for members giving points to each other; `updatedAt` null: never set, the defaults. */
export type TransferRules = Omit<typeof transferRules.$inferSelect, "updatedAt"> & { updatedAt: Date | null };

/**
 * The rules of a program whose owner never set any: transfers off (the contract's default), and, once switched on
 * with only `enabled`, the loosest rules that still mean something: at least 1 point, no monthly maximum, no fee,
 * no minimum membership age.
 */
export const defaultTransferRules = (programId: string): TransferRules => ({
  programId,
  enabled: false,
  minPoints: 1,
  maxPointsPerMemberPerMonth: null,
  feeBps: 0,
  minMembershipDays: 0,
  updatedAt: null,
});

/** The rules in force in a program: as its owner set them, or the defaults. */
export async function transferRulesOf(reader: Deps["reader"], programId: string): Promise<TransferRules> {
  return (await findTransferRules(reader, programId)) ?? defaultTransferRules(programId);
}

/**
 * A program's transfer rules, for its owner and the operator, and for partners with an agreement in it (they make
 * the transfers); anyone else gets 404.
 */
export async function readTransferRules(
  deps: Pick<Deps, "db" | "reader">,
  caller: Caller,
  programId: string,
): Promise<TransferRules> {
  const program =
    caller.partnerId === null
      ? await managedProgram(deps, caller, programId)
      : await findProgramForPartner(deps.db, programId, caller.partnerId);
  return transferRulesOf(deps.reader, program.id);
}

/**
 * Replaces a program's transfer rules (its owner or the operator; PUT semantics). Transfers planned on the rules
 * it replaces are refused by their assertion and planned again under these.
 */
export async function putTransferRules(
  deps: Pick<Deps, "db" | "writer" | "clock">,
  caller: Caller,
  programId: string,
  input: Omit<TransferRules, "programId" | "updatedAt">,
): Promise<TransferRules> {
  const program = await managedProgram(deps, caller, programId);
  const max = input.maxPointsPerMemberPerMonth;
  // A maximum below the minimum would allow no transfer at all while saying transfers are on.
  if (max !== null && max < input.minPoints)
    throw new ApiError("validation_failed", "The monthly maximum is below the minimum of a transfer.", {
      errors: [
        { path: "max_points_per_member_per_month", message: `must be at least min_points (${input.minPoints})` },
      ],
    });
  const rules = { ...input, programId: program.id, updatedAt: deps.clock.now() };
  await deps.writer.write([saveTransferRulesStatement(rules)]);
  return rules;
}
