import { type ExpiryChanges, hasChangedMembers } from "../db/queries/expiry";
import {
  type ExpiryJob,
  type ExpiryPosition,
  findExpiryPositions,
  findLastJournalRowid,
} from "../db/queries/expiry-positions";
import type { SqlReader } from "../db/reader";

/** Where a program's first run starts: before any lot, so it examines them all. */
const beginning = new Date(-8.64e15);

/**
 * A run of the expiry job or of the expiring-soon notices over positions (db/schema/expiry-positions.ts): each
 * program's position, what changed since, and where the run leaves the programs, which the job saves once its
 * writes have committed (a crash before leaves the positions where they were, and the next run does it all again).
 */
export type PositionedRun = {
  /** The journal's last row when the run began: every row up to it is in what the run reads. */
  lastRowid: number;
  /** Where the last run left the program (a first run: before any lot, and no row left to examine). */
  since(programId: string): ExpiryPosition;
  /** Whether any member changed since the program's position; the run's position is kept to save when it moved. */
  examine(changes: ExpiryChanges): Promise<boolean>;
  /** The positions to save: the programs this run examined, or whose journal rows it read past. */
  reached(): ({ programId: string } & ExpiryPosition)[];
};

export async function startPositionedRun(reader: SqlReader, job: ExpiryJob, now: Date): Promise<PositionedRun> {
  // Read first, so a position naming it claims no row the run's later reads did not see.
  const lastRowid = await findLastJournalRowid(reader);
  const positions = await findExpiryPositions(reader, job);
  const since = (programId: string) => positions.get(programId) ?? { runAt: beginning, lastRowid };
  const reached: ({ programId: string } & ExpiryPosition)[] = [];
  return {
    lastRowid,
    since,
    async examine(changes) {
      const changed = await hasChangedMembers(reader, changes);
      if (changed || since(changes.programId).lastRowid !== lastRowid)
        reached.push({ programId: changes.programId, runAt: now, lastRowid });
      return changed;
    },
    reached: () => reached,
  };
}
