import { and, desc, eq, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { agreements, programs } from "../db/schema";
import { ApiError } from "../http/errors";
import type { Agreement, Program } from "./programs";

export type ProgramAccess = { program: Program; agreement: Agreement };

/**
 * What a partner may do in a program right now: its agreement in force. Without one the program answers
 * 404, exactly as if it did not exist; with one that lacks the permission, 403 says which.
 */
export async function programAccess(
  db: Db,
  programId: string,
  partnerId: string,
  at: Date,
  need?: "earn" | "burn",
): Promise<ProgramAccess> {
  const row = await db
    .select({ program: programs, agreement: agreements })
    .from(programs)
    .innerJoin(agreements, and(eq(agreements.programId, programs.id), eq(agreements.partnerId, partnerId)))
    .where(and(eq(programs.id, programId), lte(agreements.validFrom, at)))
    .orderBy(desc(agreements.validFrom), desc(agreements.id))
    .get();
  if (!row) throw new ApiError("not_found", `No program ${programId}.`);
  if (need === "earn" && !row.agreement.canEarn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow earning.`);
  if (need === "burn" && !row.agreement.canBurn)
    throw new ApiError("forbidden", `Your agreement with program ${programId} does not allow burning.`);
  return row;
}
