import { findRedeemPrice } from "../../db/queries/kpis";
import { findHeldAsOf, sumExpiredAndIssued } from "../../db/queries/report-liability";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, managedProgram } from "../programs";
import { lineAmountMinor } from "../settlement/money";

const dayMs = 86_400_000;

/** The expiring buckets' ends, in days after `as_of`: points expiring within 30, 60, 90, 180 and 365 days. */
export const expiringBucketDays = [30, 60, 90, 180, 365] as const;

/** The window of the trailing breakage rate, in days up to `as_of`. */
export const breakageWindowDays = 365;

/** A bucket of the points members held at `as_of`: they expire after the bucket before's `until`, by this `until`. */
export type ExpiringBucket = { until: Date | null; points: number };

/** A program's points liability as of an instant, folded from the journal written by then. */
export type Liability = {
  programId: string;
  asOf: Date;
  /** Points members held at `asOf`, available and pending. */
  outstandingPoints: number;
  /** `outstandingPoints` at the owner's redeem price in force at `asOf`, in minor units (statements' rounding). */
  valueMinor: number;
  currency: string;
  /**
   * The outstanding points by when they expire, summing to `outstandingPoints`: one bucket per `expiringBucketDays`
   * (always, 0 included); then, when points expire later than that, a bucket up to the last lot's expiry; last, the
   * points not due to expire (`until` null): credited without an expiry, or pending (held for a review).
   */
  expiring: ExpiringBucket[];
  /** Points expired in the 365 days up to `asOf` ÷ points issued (earned and bonus) in them; null if none issued. */
  breakageRate365d: number | null;
};

/**
 * A program's liability as of `asOf` (now unless given; never in the future), for its owner (`programs:manage`)
 * and the operator (managedProgram: others 404 or 403). Everything is folded from journal rows created by `asOf`,
 * never from current balances, so a past instant reads as it stood then whatever happened since.
 */
export async function liabilityReport(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  asOf?: Date,
): Promise<Liability> {
  const now = deps.clock.now();
  const at = asOf ?? now;
  if (at.getTime() > now.getTime())
    throw new ApiError("validation_failed", `as_of ${at.toISOString()} is in the future (now ${now.toISOString()}).`, {
      errors: [{ path: "as_of", message: "must not be in the future" }],
    });
  const program = await managedProgram(deps, caller, programId);
  const bounds = expiringBucketDays.map((days) => new Date(at.getTime() + days * dayMs));
  const [held, window, price] = await Promise.all([
    findHeldAsOf(deps.reader, program.id, at, bounds),
    sumExpiredAndIssued(deps.reader, program.id, {
      since: new Date(at.getTime() - breakageWindowDays * dayMs),
      until: at,
    }),
    findRedeemPrice(deps.reader, program.id, program.partnerId, at),
  ]);
  const later = held.expiring[bounds.length] ?? 0;
  const scheduled = held.expiring.reduce((sum, points) => sum + points, 0);
  return {
    programId: program.id,
    asOf: at,
    outstandingPoints: held.outstanding,
    valueMinor: lineAmountMinor(held.outstanding, price ?? 0, program.settlementCurrency),
    currency: program.settlementCurrency,
    expiring: [
      ...bounds.map((until, i) => ({ until, points: held.expiring[i] ?? 0 })),
      ...(later > 0 ? [{ until: held.lastExpiry, points: later }] : []),
      { until: null, points: held.outstanding - scheduled },
    ],
    // Four decimals, like the KPI report's redemption_rate.
    breakageRate365d: window.issued > 0 ? Math.round((window.expired * 10_000) / window.issued) / 10_000 : null,
  };
}
