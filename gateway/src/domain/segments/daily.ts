import { listSegmentsDueRecount } from "../../db/queries/segments";
import type { Deps } from "../../deps";
import { recountSegment } from "./segments";

const dayMs = 86_400_000;

/**
 * The daily recount, by the business clock: every dynamic segment last counted a day ago or more has its members
 * and `member_count` brought up to its rule (members who joined recorded with when they joined), one atomic write
 * each. Running it again at once finds nothing due.
 */
export async function recountDueSegments(deps: Pick<Deps, "db" | "writer" | "clock">): Promise<{ segments: number }> {
  const due = await listSegmentsDueRecount(deps.db, new Date(deps.clock.now().getTime() - dayMs + 1));
  for (const segment of due) await recountSegment(deps, segment);
  return { segments: due.length };
}
