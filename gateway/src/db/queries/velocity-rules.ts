import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { programs, programVelocityRules } from "../schema";

type VelocityRulesRow = typeof programVelocityRules.$inferSelect;

/** A program's velocity rules, or undefined when the operator never set any. */
export async function findVelocityRules(db: Db, programId: string): Promise<VelocityRulesRow | undefined> {
  return db.select().from(programVelocityRules).where(eq(programVelocityRules.programId, programId)).get();
}

/**
 * Replaces a program's velocity rules and its review threshold (which lives on the program) in one atomic
 * batch, so a reader never sees the rules of one PUT with the threshold of another.
 */
export async function saveVelocityRules(
  db: Db,
  rules: VelocityRulesRow,
  reviewThresholdPoints: number | null,
): Promise<void> {
  await db.batch([
    db
      .insert(programVelocityRules)
      .values(rules)
      .onConflictDoUpdate({ target: programVelocityRules.programId, set: rules }),
    db.update(programs).set({ reviewThresholdPoints }).where(eq(programs.id, rules.programId)),
  ]);
}
