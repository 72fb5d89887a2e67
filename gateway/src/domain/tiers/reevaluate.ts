import { listTieredPrograms, replaceMembersStatements } from "../../db/queries/tiers";
import type { Deps } from "../../deps";
import { windowStart } from "./qualify";

/**
 * The daily tier re-evaluation, by the business clock: every member whose tier is no longer held (`held_until`
 * passed) moves to the tier its activity in the trailing window qualifies for now, usually down, with a
 * `member.tier_changed` event (reason `requalified`); one that still qualifies stays, and is looked at again next
 * run. One atomic write per program; running it again at the same instant moves no one (idempotent).
 */
export async function reevaluateTiers(
  deps: Pick<Deps, "reader" | "writer" | "clock" | "ids">,
): Promise<{ programs: number; members_moved: number }> {
  const programs = await listTieredPrograms(deps.reader);
  let moved = 0;
  for (const program of programs) {
    const now = deps.clock.now();
    const rows = await deps.writer.write(
      replaceMembersStatements({
        programId: program.id,
        ownerPartnerId: program.ownerPartnerId,
        batch: deps.ids("mtc"),
        eventIdPrefix: deps.ids("evt"),
        now,
        since: windowStart(program, now),
        windowDays: program.windowDays,
        onlyHoldEnded: true,
      }),
    );
    moved += Number(rows.at(-1)?.[0]?.moved ?? 0);
  }
  return { programs: programs.length, members_moved: moved };
}
