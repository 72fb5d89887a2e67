import { first, type SqlReader } from "../reader";
import type { expiryPositions } from "../schema";
import type { Statement } from "../writer";
import type { SqlRow } from "./rows";

/** The two jobs that keep a position in each program (db/schema/expiry-positions.ts). */
export type ExpiryJob = SqlRow<typeof expiryPositions>["job"];

/** Where a job's last run left a program: its business instant and the last journal row it examined. */
export type ExpiryPosition = { runAt: Date; lastRowid: number };

/** The journal's last rowid (0 while it is empty). */
export async function findLastJournalRowid(reader: SqlReader): Promise<number> {
  const row = await first<{ last_rowid: number | null }>(
    reader,
    "select max(rowid) as last_rowid from ledger_transactions",
  );
  return row?.last_rowid ?? 0;
}

/** Each program's position of a job. */
export async function findExpiryPositions(reader: SqlReader, job: ExpiryJob): Promise<Map<string, ExpiryPosition>> {
  const rows = await reader.all<Pick<SqlRow<typeof expiryPositions>, "program_id" | "run_at" | "last_rowid">>(
    "select program_id, run_at, last_rowid from expiry_positions where job = ?",
    [job],
  );
  return new Map(rows.map((row) => [row.program_id, { runAt: new Date(row.run_at), lastRowid: row.last_rowid }]));
}

/**
 * Saves where a run of a job left programs. A position from a run that started earlier than the one saved (its
 * last rowid lower) is not saved over it: it would be as right, since every run examines all that changed since the
 * position it started from, but would make the next run examine again what the later one did.
 */
export function saveExpiryPositionsStatement(
  job: ExpiryJob,
  positions: readonly ({ programId: string } & ExpiryPosition)[],
): Statement {
  const field = (name: string) => `json_extract(j.value, '$.${name}')`;
  return {
    sql: `insert into expiry_positions (program_id, job, run_at, last_rowid)
          select ${field("program_id")}, ?, ${field("run_at")}, ${field("last_rowid")} from json_each(?) j where true
          on conflict (program_id, job) do update set run_at = excluded.run_at, last_rowid = excluded.last_rowid
          where excluded.last_rowid >= expiry_positions.last_rowid`,
    args: [
      job,
      JSON.stringify(
        positions.map((position) => ({
          program_id: position.programId,
          run_at: position.runAt.getTime(),
          last_rowid: position.lastRowid,
        })),
      ),
    ],
  };
}
