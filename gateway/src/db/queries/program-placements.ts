import type { Db } from "../client";
import type { SqlReader } from "../reader";
import { programPlacements } from "../schema";
import type { Statement } from "../writer";

/**
 * Where the directory puts a program: the database of its placement, `null` for a program without one, undefined
 * for a program the directory does not hold (yet).
 */
export async function findPlacement(directory: SqlReader, programId: string): Promise<string | null | undefined> {
  const row = await directory.first<{ database: string | null; known: number }>(
    `select (select database from program_placements where program_id = ?) as database,
            exists (select 1 from programs where id = ?) as known`,
    [programId, programId],
  );
  if (row?.database) return row.database;
  return row?.known ? null : undefined;
}

/** Places a program on a database; written with the program, never changed while the gateway runs. */
export const insertPlacementStatement = (programId: string, database: string, at: Date): Statement => ({
  sql: "insert into program_placements (program_id, database, created_at) values (?, ?, ?)",
  args: [programId, database, at.getTime()],
});

/** The same placement as a query of a `db.batch`, so it commits with the program it places. */
export const insertPlacement = (db: Db, programId: string, database: string, at: Date) =>
  db.insert(programPlacements).values({ programId, database, createdAt: at });
