import { scoreProgramStatements } from "../../db/queries/rfm";
import type { Deps } from "../../deps";
import { segmentGrid } from "./segments";

/** The trailing window of earns RFM scores, in days. */
export const rfmWindowDays = 365;

const dayMs = 86_400_000;

/**
 * Scores a program's members by RFM now, by the business clock, replacing its last scoring in one atomic write
 * (db/queries/rfm.ts has the rules), and answers how many members were scored. Scoring again at the same
 * instant writes the same rows, so repeated or overlapping runs are harmless.
 */
export async function scoreProgram(deps: Pick<Deps, "writer" | "clock">, programId: string): Promise<number> {
  const now = deps.clock.now();
  const rows = await deps.writer.write(
    scoreProgramStatements({
      programId,
      now,
      since: new Date(now.getTime() - rfmWindowDays * dayMs),
      windowDays: rfmWindowDays,
      grid: segmentGrid,
    }),
  );
  return Number(rows.at(-1)?.[0]?.members_scored ?? 0);
}
