import { findTransferDetails } from "../../db/queries/transfers";
import type { SqlReader } from "../../db/reader";
import { ApiError } from "../../errors";
import { transferBody } from "./transfer";

/**
 * A transfer as the partner that made it and the program's owner see it (a held one with its review, a decided one
 * as decided). To anyone else it does not exist (404).
 */
export async function findTransferForPartner(reader: SqlReader, id: string, partnerId: string) {
  const found = await findTransferDetails(reader, id);
  if (!found || ![found.transfer.partnerId, found.program.ownerId].includes(partnerId))
    throw new ApiError("not_found", `No transfer ${id}.`);
  return transferBody(found.transfer, found.sides, found.balances);
}
