import { listExpiringPrograms } from "../db/queries/expiry";
import { findLotsToNotice, type LotNotice, noticeLotsStatements } from "../db/queries/expiry-notices";
import { webhookBody } from "../db/queries/outbox";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import type { EventType } from "./outbox";

/** How long before a lot expires its program's owner hears of it (`points.expiring_soon`). */
export const expiringSoonDays = 30;

/**
 * Lots per write: each write holds SQLite's one write lock while it runs, so a program with many lots due writes
 * them in turns, and every write stays far below D1's 2 MB for the one JSON argument that carries them.
 */
const lotsPerWrite = 500;

const type: EventType = "points.expiring_soon";

/**
 * Tells each program's owner, once per lot, of points that expire within the next 30 days (by the business
 * clock): a `points.expiring_soon` event `{ program_id, external_id, points, expires_at }` with what is left of
 * the lot (counted as the expiry job counts it; a lot spent in full gets none), and an `expiry_notices` row, in
 * one atomic write. The notice's key makes it once per lot however often the job runs: a run that finds a lot
 * another run noticed meanwhile writes nothing for it. Erased members get none. Like `points.expired`, it goes to
 * the program's owner alone, which speaks to its members.
 */
export async function noticeExpiringPoints(deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids" | "log">) {
  const now = deps.clock.now();
  const window = { after: now, until: new Date(now.getTime() + expiringSoonDays * 86_400_000) };
  let notices = 0;
  let points = 0;
  for (const program of await listExpiringPrograms(deps.db)) {
    const lots = await findLotsToNotice(deps.reader, program.id, window);
    for (let start = 0; start < lots.length; start += lotsPerWrite) {
      const batch: LotNotice[] = lots.slice(start, start + lotsPerWrite).map((lot) => ({
        ...lot,
        eventId: deps.ids("evt"),
        eventBody: webhookBody({
          type,
          at: now,
          data: {
            program_id: program.id,
            external_id: lot.externalId,
            points: lot.points,
            expires_at: lot.expiresAt.toISOString(),
          },
        }),
      }));
      try {
        const rows = await deps.writer.write(
          noticeLotsStatements({ programId: program.id, partnerId: program.partnerId, at: now, notices: batch }),
        );
        const written = rows.at(-1)?.[0];
        notices += Number(written?.notices ?? 0);
        points += Number(written?.points ?? 0);
      } catch (error) {
        // A notice another run wrote for one of these lots refused the write: the next run notices the others.
        if (!(error instanceof ConstraintViolation)) throw error;
        deps.log("warn", "expiring-soon notices skipped", { program_id: program.id, reason: error.message });
      }
    }
  }
  return { notices, points };
}
