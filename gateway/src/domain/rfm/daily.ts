import { listProgramsDueForRfm } from "../../db/queries/rfm";
import type { Deps } from "../../deps";
import { scoreProgram } from "./score";

/** How long a program's scoring stands before the daily job scores it again. */
const rescoreAfterMs = 86_400_000;

/**
 * The daily RFM scoring, by the business clock: every program never scored, or last scored 24 hours ago or
 * more, is scored now (one atomic write each). The jobs run every minute, so each program is scored once a day,
 * at about the time of day it was first scored (or recomputed); a run finding nothing due writes nothing.
 */
export async function rescoreDuePrograms(
  deps: Pick<Deps, "reader" | "writer" | "clock">,
): Promise<{ programs: number; members_scored: number }> {
  const due = await listProgramsDueForRfm(deps.reader, new Date(deps.clock.now().getTime() - rescoreAfterMs));
  let scored = 0;
  for (const programId of due) scored += await scoreProgram(deps, programId);
  return { programs: due.length, members_scored: scored };
}
