import { type KpiProgram, listOwnedPrograms } from "../../db/queries/kpis";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { managedProgram, type Program } from "../programs";

/**
 * The programs whose reports a partner's portal users read: those it owns. Unlike the API (403 for a partner with
 * an agreement in the program), any other program is answered 404, as the portal's other owner pages do.
 */

/** The programs `partnerId` owns, oldest first: the reports page's picker. */
export const ownedReportPrograms = (deps: Pick<Deps, "reader">, partnerId: string): Promise<KpiProgram[]> =>
  listOwnedPrograms(deps.reader, partnerId);

/** A program `partnerId` owns (404 for any other). */
export async function ownedReportProgram(
  deps: Pick<Deps, "db">,
  partnerId: string,
  programId: string,
): Promise<Program> {
  try {
    return await managedProgram(deps, { partnerId }, programId);
  } catch (error) {
    if (error instanceof ApiError && error.code === "forbidden")
      throw new ApiError("not_found", `No program ${programId}.`);
    throw error;
  }
}
