import type { Db } from "../db/client";
import { findProgramById, hasAgreement, insertAgreement, insertProgram } from "../db/queries/programs";
import type { agreements, programs } from "../db/schema";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { findPartner } from "./partners";

export type Program = typeof programs.$inferSelect;
export type Agreement = typeof agreements.$inferSelect;

/** Creates a program and its owner's agreement (earn and burn, at the published prices) in one write. */
export async function createProgram(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  input: Omit<Program, "id" | "createdAt" | "timezone" | "status"> & Partial<Pick<Program, "timezone">>,
): Promise<Program> {
  await findPartner(deps.db, input.partnerId);
  const now = deps.clock.now();
  const program: Program = { timezone: "UTC", ...input, status: "active", id: deps.ids("prg"), createdAt: now };
  await deps.db.batch([
    insertProgram(deps.db, program),
    insertAgreement(deps.db, {
      id: deps.ids("agr"),
      programId: program.id,
      partnerId: program.partnerId,
      canEarn: true,
      canBurn: true,
      issuePriceMicros: program.issuePriceMicros,
      redeemPriceMicros: program.redeemPriceMicros,
      earnPoints: 1,
      earnPerAmountMinor: 100,
      validFrom: now,
      createdAt: now,
    }),
  ]);
  return program;
}

export async function findProgram(db: Db, id: string): Promise<Program> {
  const program = await findProgramById(db, id);
  if (!program) throw new ApiError("not_found", `No program ${id}.`);
  return program;
}

/**
 * The program as a partner may see it: only with an agreement in force (past or scheduled). Anything else
 * answers 404, so a partner cannot even learn which program ids exist.
 */
export async function findProgramForPartner(db: Db, id: string, partnerId: string): Promise<Program> {
  const program = await findProgramById(db, id);
  if (!program || !(await hasAgreement(db, id, partnerId))) throw new ApiError("not_found", `No program ${id}.`);
  return program;
}

/** Adds an agreement version; it supersedes the partner's previous one from `validFrom`. */
export async function createAgreement(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  input: Omit<Agreement, "id" | "createdAt" | "validFrom"> & { validFrom?: Date },
): Promise<Agreement> {
  await findProgram(deps.db, input.programId);
  await findPartner(deps.db, input.partnerId);
  const now = deps.clock.now();
  const validFrom = input.validFrom ?? now;
  // Prices of past movements are settled with the agreement then in force; back-dating would rewrite them.
  if (validFrom.getTime() < now.getTime() - 60_000)
    throw new ApiError("validation_failed", "valid_from cannot be in the past.", {
      errors: [{ path: "valid_from", message: "must be now or later" }],
    });
  const agreement: Agreement = { ...input, id: deps.ids("agr"), validFrom, createdAt: now };
  await insertAgreement(deps.db, agreement);
  return agreement;
}
