import type { Db } from "../../db/client";
import { findVelocityRules, saveVelocityRules } from "../../db/queries/velocity-rules";
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
  await saveVelocityRules(
    deps.db,
    {
      programId,
      maxEarnPointsPerMemberPerDay: rules.maxEarnPointsPerMemberPerDay,
      earnAction: "reject",
      maxBurnsPerMemberPerHour: rules.maxBurnsPerMemberPerHour,
      burnAction: rules.burnAction,
      maxConversionPointsPerMemberPerDay: rules.maxConversionPointsPerMemberPerDay,
      conversionAction: rules.conversionAction,
      holdFirstConversionToNewDestination: rules.holdFirstConversionToNewDestination,
      updatedAt,
    },
    rules.reviewThresholdPoints,
  );
  return { ...rules, updatedAt };
}

export async function getVelocityRules(db: Db, programId: string): Promise<VelocityRules & { updatedAt: Date | null }> {
  const program = await findProgram(db, programId);
  const row = await findVelocityRules(db, programId);
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
