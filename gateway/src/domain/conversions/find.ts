import { findConversionDetails } from "../../db/queries/conversions";
import type { SqlReader } from "../../db/reader";
import { ApiError } from "../../errors";
import { conversionBody } from "./present";

/**
 * A conversion as either side sees it: the partner that made it and the owners of both programs. To
 * anyone else it does not exist (404).
 */
export async function findConversionForPartner(reader: SqlReader, id: string, partnerId: string) {
  const found = await findConversionDetails(reader, id);
  if (!found || ![found.conversion.partnerId, found.owners.from, found.owners.to].includes(partnerId))
    throw new ApiError("not_found", `No conversion ${id}.`);
  return conversionBody(found.conversion, found.rate, found.sides, found.failureReason);
}
