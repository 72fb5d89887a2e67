import type { SqlReader } from "../reader";
import type { programs } from "../schema";
import type { SqlRow } from "./rows";

type DestinationRow = Pick<SqlRow<typeof programs>, "id" | "name">;

/**
 * The programs a program's points have a published rate to (in force or not), with their names, by id. Plain
 * SQL: the hosted member page reads it on every view.
 */
export async function listRateDestinations(reader: SqlReader, fromProgramId: string): Promise<DestinationRow[]> {
  return reader.all<DestinationRow>(
    `select distinct p.id, p.name from conversion_rates r join programs p on p.id = r.to_program_id
     where r.from_program_id = ? order by p.id`,
    [fromProgramId],
  );
}
