import { type ConversionRate, findNewestStartedRate, insertConversionRate } from "../../db/queries/conversion-rates";
import type { SqlReader } from "../../db/reader";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { findProgram } from "../programs";

export type { ConversionRate };
export type RateStatus = "scheduled" | "in_force" | "superseded" | "expired";

/** Publishes a rate; it supersedes the pair's older rates from its `valid_from`. */
export async function createRate(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  input: Omit<ConversionRate, "id" | "createdAt" | "validFrom"> & { validFrom?: Date },
): Promise<ConversionRate> {
  if (input.fromProgramId === input.toProgramId)
    throw new ApiError("validation_failed", "A rate converts between two different programs.", {
      errors: [{ path: "to_program_id", message: "must differ from from_program_id" }],
    });
  await findProgram(deps.db, input.fromProgramId);
  await findProgram(deps.db, input.toProgramId);
  const now = deps.clock.now();
  const validFrom = input.validFrom ?? now;
  if (validFrom.getTime() < now.getTime() - 60_000)
    throw new ApiError("validation_failed", "valid_from cannot be in the past.", {
      errors: [{ path: "valid_from", message: "must be now or later" }],
    });
  if (input.validUntil && input.validUntil <= validFrom)
    throw new ApiError("validation_failed", "valid_until must be after valid_from.", {
      errors: [{ path: "valid_until", message: "must be after valid_from" }],
    });
  const rate: ConversionRate = { ...input, id: deps.ids("cvr"), validFrom, createdAt: now };
  await insertConversionRate(deps.db, rate);
  return rate;
}

/** The rate in force for the pair at `at`: the newest that has started and not ended. */
export async function rateInForce(reader: SqlReader, fromProgramId: string, toProgramId: string, at: Date) {
  const rate = await findNewestStartedRate(reader, fromProgramId, toProgramId, at);
  if (!rate || (rate.validUntil !== null && rate.validUntil <= at))
    throw new ApiError("not_found", `No conversion rate from ${fromProgramId} to ${toProgramId} is in force.`);
  return rate;
}

/**
 * Marks each rate of a list (newest `valid_from` first per pair) as scheduled, in force, superseded by a
 * newer one that has started, or expired.
 */
export function rateStatuses(rates: ConversionRate[], at: Date): Map<string, RateStatus> {
  const now = at.getTime();
  const started = new Set<string>();
  const statuses = new Map<string, RateStatus>();
  const ordered = [...rates].sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime() || (a.id < b.id ? 1 : -1));
  for (const rate of ordered) {
    const pair = `${rate.fromProgramId}>${rate.toProgramId}`;
    let status: RateStatus;
    if (rate.validFrom.getTime() > now) status = "scheduled";
    else if (started.has(pair)) status = "superseded";
    else status = rate.validUntil && rate.validUntil.getTime() <= now ? "expired" : "in_force";
    if (rate.validFrom.getTime() <= now) started.add(pair);
    statuses.set(rate.id, status);
  }
  return statuses;
}
