import type { Db } from "../client";
import type { SqlReader } from "../reader";
import { programPlacements } from "../schema";
import type { Statement } from "../writer";

/** The database a program is placed on (directory database), if it has a placement. */
export async function findPlacement(directory: SqlReader, programId: string): Promise<string | undefined> {
  const row = await directory.first<{ database: string }>(
    "select database from program_placements where program_id = ?",
    [programId],
  );
  return row?.database;
}

/** Places a program on a database; written with the program, never changed while the gateway runs. */
export const insertPlacementStatement = (programId: string, database: string, at: Date): Statement => ({
  sql: "insert into program_placements (program_id, database, created_at) values (?, ?, ?)",
  args: [programId, database, at.getTime()],
});

/** The same placement as a query of a `db.batch`, so it commits with the program it places. */
export const insertPlacement = (db: Db, programId: string, database: string, at: Date) =>
  db.insert(programPlacements).values({ programId, database, createdAt: at });
