import { and, desc, eq, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { agreements, programs } from "../db/schema";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { findPartner } from "./partners";

export type Program = typeof programs.$inferSelect;
export type Agreement = typeof agreements.$inferSelect;

/** Creates a program and its owner's agreement (earn and burn, at the published prices) in one write. */
export async function createProgram(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  input: Omit<Program, "id" | "createdAt">,
): Promise<Program> {
  await findPartner(deps.db, input.partnerId);
  const now = deps.clock.now();
  const program: Program = { ...input, id: deps.ids("prg"), createdAt: now };
  await deps.db.batch([
    deps.db.insert(programs).values(program),
    deps.db.insert(agreements).values({
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
  const program = await db.select().from(programs).where(eq(programs.id, id)).get();
  if (!program) throw new ApiError("not_found", `No program ${id}.`);
  return program;
}

/** The agreement of `partnerId` in `programId` in force at `at`, if any. */
export async function agreementInForce(
  db: Db,
  programId: string,
  partnerId: string,
  at: Date,
): Promise<Agreement | undefined> {
  return db
    .select()
    .from(agreements)
    .where(and(eq(agreements.programId, programId), eq(agreements.partnerId, partnerId), lte(agreements.validFrom, at)))
    .orderBy(desc(agreements.validFrom), desc(agreements.id))
    .get();
}

/**
 * The program as a partner may see it: only with an agreement in force (past or scheduled). Anything else
 * answers 404, so a partner cannot even learn which program ids exist.
 */
export async function findProgramForPartner(db: Db, id: string, partnerId: string): Promise<Program> {
  const program = await db.select().from(programs).where(eq(programs.id, id)).get();
  const agreement = program
    ? await db
        .select({ id: agreements.id })
        .from(agreements)
        .where(and(eq(agreements.programId, id), eq(agreements.partnerId, partnerId)))
        .get()
    : undefined;
  if (!program || !agreement) throw new ApiError("not_found", `No program ${id}.`);
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
  await deps.db.insert(agreements).values(agreement);
  return agreement;
}
