import { listExpiringPrograms } from "../db/queries/expiry";
import { findLotsToNotice, type LotNotice, noticeLotsStatements } from "../db/queries/expiry-notices";
import { saveExpiryPositionsStatement } from "../db/queries/expiry-positions";
import { webhookBody } from "../db/queries/outbox";
import { ConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { type PositionedRun, startPositionedRun } from "./expiry-positions";
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
 * the program's owner alone, which speaks to its members. Only the members that changed since the program's last
 * run are read (./expiry-positions.ts): a lot of theirs came within 30 days, or they have a new journal row (a lot
 * spent in full is noticed once a reversed burn gives it points back); the others are as that run left them. The
 * programs' positions go with the run's last write, so they move only once every notice is written and cost no
 * write of their own but when there is no notice to write.
 */
export async function noticeExpiringPoints(deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids" | "log">) {
  const now = deps.clock.now();
  const run = await startPositionedRun(deps.reader, "expiring_soon", now);
  const batches = await findBatches(deps, run, now);
  let notices = 0;
  let points = 0;
  let refused = false;
  for (const [index, batch] of batches.entries()) {
    // After a refused batch the positions stay where they were, so that the next run reads its lots again.
    const last = index === batches.length - 1;
    try {
      const rows = await deps.writer.write([
        ...(last && !refused ? positionsStatements(run) : []),
        ...noticeLotsStatements({
          programId: batch.program.id,
          partnerId: batch.program.partnerId,
          at: now,
          notices: batch.notices,
        }),
      ]);
      const written = rows.at(-1)?.[0];
      notices += Number(written?.notices ?? 0);
      points += Number(written?.points ?? 0);
    } catch (error) {
      // A notice another run wrote for one of these lots refused the write: the next run notices the others.
      if (!(error instanceof ConstraintViolation)) throw error;
      deps.log("warn", "expiring-soon notices skipped", { program_id: batch.program.id, reason: error.message });
      refused = true;
    }
  }
  if (batches.length === 0) {
    const positions = positionsStatements(run);
    if (positions.length > 0) await deps.writer.write(positions);
  }
  return { notices, points };
}

type Batch = { program: { id: string; partnerId: string }; notices: LotNotice[] };

/** Every program's lots to notice (of the members that changed), with their events, in writes of `lotsPerWrite`. */
async function findBatches(deps: Pick<Deps, "db" | "reader" | "ids">, run: PositionedRun, now: Date) {
  const until = new Date(now.getTime() + expiringSoonDays * 86_400_000);
  const batches: Batch[] = [];
  for (const program of await listExpiringPrograms(deps.db)) {
    const since = run.since(program.id);
    const changes = {
      programId: program.id,
      lotsAfter: lotsAfter(since.runAt, now),
      lotsUntil: until,
      rowsAfter: since.lastRowid,
    };
    const lots = (await run.examine(changes)) ? await findLotsToNotice(deps.reader, changes, now) : [];
    for (let start = 0; start < lots.length; start += lotsPerWrite) {
      const notices = lots.slice(start, start + lotsPerWrite).map((lot) => ({
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
      batches.push({ program, notices });
    }
  }
  return batches;
}

/**
 * Where the lots that came within 30 days since the last run (at `runAt`) begin: after those it read, which expire
 * within 30 days of it. A clock that went back (a test's) reads the whole window again.
 */
function lotsAfter(runAt: Date, now: Date): Date {
  if (now < runAt) return now;
  return new Date(Math.max(now.getTime(), runAt.getTime() + expiringSoonDays * 86_400_000));
}

/** The statement saving where the run leaves the programs, if it moved any. */
function positionsStatements(run: PositionedRun) {
  const reached = run.reached();
  return reached.length > 0 ? [saveExpiryPositionsStatement("expiring_soon", reached)] : [];
}
