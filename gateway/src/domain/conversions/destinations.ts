import { listRateDestinations } from "../../db/queries/conversion-destinations";
import type { SqlReader } from "../../db/reader";
import { rateInForce } from "./rates";

/** A program a member can convert to now, with the terms of the rate in force. */
export type Destination = {
  programId: string;
  name: string;
  fromPoints: number;
  toPoints: number;
  minPoints: number;
  increment: number;
};

/** Where a program's points can be converted at `at`: every destination with a rate in force, by id. */
export async function conversionDestinations(
  reader: SqlReader,
  fromProgramId: string,
  at: Date,
): Promise<Destination[]> {
  const destinations = await listRateDestinations(reader, fromProgramId);
  const offered = await Promise.all(
    destinations.map(async (program) => {
      const rate = await rateInForce(reader, fromProgramId, program.id, at).catch(() => null);
      return (
        rate && {
          programId: program.id,
          name: program.name,
          fromPoints: rate.fromPoints,
          toPoints: rate.toPoints,
          minPoints: rate.minPoints,
          increment: rate.increment,
        }
      );
    }),
  );
  return offered.filter((destination) => destination !== null);
}
