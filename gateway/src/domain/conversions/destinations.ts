import { listRateDestinations } from "../../db/queries/conversion-destinations";
import type { SqlReader } from "../../db/reader";
import type { Deps } from "../../deps";
import { convertedToday } from "./daily-maximum";
import { rateInForce } from "./rates";

/** A program a member can convert to now, with the terms of the rate in force. */
export type Destination = {
  programId: string;
  name: string;
  fromPoints: number;
  toPoints: number;
  minPoints: number;
  increment: number;
  feeBps: number;
  maxPointsPerDay: number | null;
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
          feeBps: rate.feeBps,
          maxPointsPerDay: rate.maxPointsPerDay,
        }
      );
    }),
  );
  return offered.filter((destination) => destination !== null);
}

/**
 * The amounts a member may convert to one destination, as a form field says them: the smallest (the rate's
 * minimum, raised to a multiple of the increment, as a quote requires both), the step, and the largest (the
 * member's balance or what is left of the rate's daily maximum, whichever is lower, down to a step). `max` is
 * below `min` when nothing can be converted; `bound` says which of the two caps is the lower.
 */
export type AmountLimits = { min: number; step: number; max: number; bound: "balance" | "today" };

export function amountLimits(
  rate: Pick<Destination, "minPoints" | "increment" | "maxPointsPerDay">,
  available: number,
  convertedToday: number,
): AmountLimits {
  const step = rate.increment;
  const min = Math.ceil(rate.minPoints / step) * step;
  const leftToday = rate.maxPointsPerDay === null ? null : Math.max(0, rate.maxPointsPerDay - convertedToday);
  const bound = leftToday !== null && leftToday <= available ? "today" : "balance";
  const cap = bound === "today" ? (leftToday ?? 0) : available;
  return { min, step, max: Math.max(0, cap - (cap % step)), bound };
}

/** Each destination with the amounts this member may convert to it now (see `amountLimits`). */
export async function destinationsWithLimits(
  deps: Pick<Deps, "reader">,
  source: { programId: string; memberId: string; available: number },
  at: Date,
): Promise<(Destination & { limits: AmountLimits })[]> {
  const destinations = await conversionDestinations(deps.reader, source.programId, at);
  return Promise.all(
    destinations.map(async (destination) => {
      const today =
        destination.maxPointsPerDay === null
          ? 0
          : await convertedToday(deps, source.memberId, destination.programId, at);
      return { ...destination, limits: amountLimits(destination, source.available, today) };
    }),
  );
}
