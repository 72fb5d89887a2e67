import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { programs, programVelocityRules } from "../../db/schema";
import type { Deps } from "../../deps";
import { findProgram } from "../programs";

export type BreachAction = "reject" | "hold";

/** A program's velocity rules; null means the rule is off. */
export type VelocityRules = {
  maxEarnPointsPerMemberPerDay: number | null;
  maxBurnsPerMemberPerHour: number | null;
  burnAction: BreachAction;
  maxConversionPointsPerMemberPerDay: number | null;
  conversionAction: BreachAction;
  reviewThresholdPoints: number | null;
  holdFirstConversionToNewDestination: boolean;
};

export const noVelocityRules: VelocityRules = {
  maxEarnPointsPerMemberPerDay: null,
  maxBurnsPerMemberPerHour: null,
  burnAction: "reject",
  maxConversionPointsPerMemberPerDay: null,
  conversionAction: "hold",
  reviewThresholdPoints: null,
  holdFirstConversionToNewDestination: false,
};

/** Replaces a program's rules (PUT semantics: what is left out is off) in one atomic write. */
export async function setVelocityRules(
  deps: Pick<Deps, "db" | "clock">,
  programId: string,
  rules: VelocityRules,
): Promise<VelocityRules & { updatedAt: Date }> {
  await findProgram(deps.db, programId);
  const updatedAt = deps.clock.now();
  const row = {
    programId,
    maxEarnPointsPerMemberPerDay: rules.maxEarnPointsPerMemberPerDay,
    earnAction: "reject" as const,
    maxBurnsPerMemberPerHour: rules.maxBurnsPerMemberPerHour,
    burnAction: rules.burnAction,
    maxConversionPointsPerMemberPerDay: rules.maxConversionPointsPerMemberPerDay,
    conversionAction: rules.conversionAction,
    holdFirstConversionToNewDestination: rules.holdFirstConversionToNewDestination,
    updatedAt,
  };
  await deps.db.batch([
    deps.db
      .insert(programVelocityRules)
      .values(row)
      .onConflictDoUpdate({ target: programVelocityRules.programId, set: row }),
    deps.db
      .update(programs)
      .set({ reviewThresholdPoints: rules.reviewThresholdPoints })
      .where(eq(programs.id, programId)),
  ]);
  return { ...rules, updatedAt };
}

export async function getVelocityRules(db: Db, programId: string): Promise<VelocityRules & { updatedAt: Date | null }> {
  const program = await findProgram(db, programId);
  const row = await db.select().from(programVelocityRules).where(eq(programVelocityRules.programId, programId)).get();
  return {
    ...noVelocityRules,
    ...(row && {
      maxEarnPointsPerMemberPerDay: row.maxEarnPointsPerMemberPerDay,
      maxBurnsPerMemberPerHour: row.maxBurnsPerMemberPerHour,
      burnAction: row.burnAction,
      maxConversionPointsPerMemberPerDay: row.maxConversionPointsPerMemberPerDay,
      conversionAction: row.conversionAction,
      holdFirstConversionToNewDestination: row.holdFirstConversionToNewDestination,
    }),
    reviewThresholdPoints: program.reviewThresholdPoints,
    updatedAt: row?.updatedAt ?? null,
  };
}
