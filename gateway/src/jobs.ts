import type { Deps } from "./deps";
import { relayConversionSagas } from "./domain/conversions/relay";
import { copyDirectoryToShards } from "./domain/directory-copy";
import { expirePoints } from "./domain/expiry";
import { noticeExpiringPoints } from "./domain/expiry-notices";
import { cleanUpIdempotencyKeys } from "./domain/idempotency-cleanup";
import { rollUpReports } from "./domain/reports/rollup";
import { rescoreDuePrograms } from "./domain/rfm/daily";
import { syncSandboxClock } from "./domain/sandbox-clock";
import { recountDueSegments } from "./domain/segments/daily";
import { cleanUpSessions } from "./domain/session-cleanup";
import { cleanUpSignInFailures } from "./domain/sign-in-failures";
import { reevaluateTiers } from "./domain/tiers/reevaluate";

/**
 * What each scheduled job did in one run, with counts: the log line of a run, and the answer of a sandbox's
 * `POST /v1/sandbox/jobs/run`.
 */
export type JobsRun = {
  expiry: Awaited<ReturnType<typeof expirePoints>>;
  /** Lots that expire within 30 days noticed (`points.expiring_soon`), and the points left in them. */
  expiring_soon: Awaited<ReturnType<typeof noticeExpiringPoints>>;
  idempotency_keys: { deleted: number };
  /** Journal rows folded into the reports' roll-ups, how far they reach, and programs rolled up again in a new zone. */
  reports: Awaited<ReturnType<typeof rollUpReports>>;
  /** Programs scored by RFM because their last scoring was 24 hours old (or there was none). */
  rfm: Awaited<ReturnType<typeof rescoreDuePrograms>>;
  /** Dynamic segments recounted (a day after their last count). */
  segments: Awaited<ReturnType<typeof recountDueSegments>>;
  /** Expired portal sessions and hosted member pages. */
  sessions: { deleted: number };
  sign_in_failures: { deleted: number };
  /** Members whose tier hold ended, moved to the tier they qualify for now. */
  tiers: Awaited<ReturnType<typeof reevaluateTiers>>;
  /** Webhook retries that fell due, and events a crashed process committed but never delivered. */
  webhooks: { attempts: number };
};

/**
 * The periodic work, run by a Node interval and by the Workers Cron Trigger alike, and on request in a
 * sandbox. Every job is idempotent, so overlapping or repeated runs are harmless. Jobs tell time by the
 * business clock; a sandbox first catches up with its shared test clock, which another instance may have moved.
 */
export async function runScheduledJobs(deps: Deps): Promise<JobsRun> {
  if (deps.sandboxClock) await syncSandboxClock(deps.sandboxClock, deps.reader);
  // The conversion sagas' relay (nothing with one database), before the webhooks so the events of the conversions it
  // finishes go out in this run; it logs what it did itself.
  await relayConversionSagas(deps);
  const run: JobsRun = {
    expiry: await expirePoints(deps),
    // After expiry, so a lot that just expired is not noticed as expiring.
    expiring_soon: await noticeExpiringPoints(deps),
    idempotency_keys: { deleted: await cleanUpIdempotencyKeys(deps) },
    sessions: { deleted: await cleanUpSessions(deps) },
    sign_in_failures: { deleted: await cleanUpSignInFailures(deps) },
    tiers: await reevaluateTiers(deps),
    rfm: await rescoreDuePrograms(deps),
    // After RFM, so segments on rfm fields count the new scores.
    segments: await recountDueSegments(deps),
    // After the jobs that write events, so this run's expiries go out with it.
    webhooks: { attempts: await deps.webhooks.deliver() },
    // After expiry, so the roll-ups hold this run's expiries; after the webhooks, as it sends no events and a journal
    // it cannot classify stops it alone.
    reports: await rollUpReports(deps),
  };
  deps.log("info", "scheduled jobs", run);
  return run;
}

/**
 * The scheduled jobs on every database of the deployment (docs/scale-out.md): with shards, first the directory
 * copied to them again (repairing a copy that a crash interrupted), then each database's jobs on its own deps, main
 * first; a failed copy or a database whose jobs fail does not stop the others', and the first failure is thrown
 * after them. With one
 * database: runScheduledJobs(deps).
 */
export async function runScheduledJobsEverywhere(deps: Deps): Promise<JobsRun[]> {
  const shards = deps.shards;
  if (!shards) return [await runScheduledJobs(deps)];
  const runs: JobsRun[] = [];
  const failures: unknown[] = [];
  // A shard the copy cannot reach must not stop every database's jobs.
  await copyDirectoryToShards(deps).catch((error: unknown) => failures.push(error));
  for (const name of shards.names())
    await runScheduledJobs(shards.deps(name)).then(
      (run) => runs.push(run),
      (error: unknown) => failures.push(error),
    );
  if (failures.length > 0) throw failures[0];
  return runs;
}
