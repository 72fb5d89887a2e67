import { findTransactionWithMember } from "../../db/queries/ledger";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { programAccess } from "../access";

/**
 * A transaction as a partner may see it: only in a program it has an agreement with. Anything else is
 * 404 with the same message as an id that does not exist.
 */
export async function findTransactionForPartner(
  { db, reader }: Pick<Deps, "db" | "reader">,
  id: string,
  partnerId: string,
  at: Date,
) {
  const row = await findTransactionWithMember(db, id);
  const notFound = new ApiError("not_found", `No transaction ${id}.`);
  if (!row) throw notFound;
  const access = await programAccess(reader, row.transaction.programId, partnerId, at).catch((error) => {
    throw error instanceof ApiError && error.code === "not_found" ? notFound : error;
  });
  return { ...row, access };
}
