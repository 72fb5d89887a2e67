import { findStatementRecord } from "../../db/queries/settlements";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { StatementDocument } from "./statements";

export type IssuedStatement = StatementDocument & { content_hash: string };

/** A statement as issued. A partner reads only its own (another's answers 404); the operator (null) any. */
export async function findStatement(
  deps: Pick<Deps, "db">,
  id: string,
  partnerId: string | null,
): Promise<IssuedStatement> {
  const row = await findStatementRecord(deps.db, id, partnerId);
  if (!row) throw new ApiError("not_found", `No statement ${id}.`);
  return { ...(JSON.parse(row.document) as StatementDocument), content_hash: row.contentHash };
}
