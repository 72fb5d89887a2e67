import type { Deps } from "./deps";
import { expirePoints } from "./domain/expiry";
import { cleanUpIdempotencyKeys } from "./domain/idempotency-cleanup";
import { cleanUpSessions } from "./domain/session-cleanup";
import { cleanUpSignInFailures } from "./domain/sign-in-failures";

/**
 * The periodic work, run by a Node interval and by the Workers Cron Trigger alike. Every job is
 * idempotent, so overlapping or repeated runs are harmless.
 */
export async function runScheduledJobs(deps: Deps): Promise<Record<string, unknown>> {
  const expiry = await expirePoints(deps);
  const idempotencyKeysDeleted = await cleanUpIdempotencyKeys(deps);
  const sessionsDeleted = await cleanUpSessions(deps);
  const signInFailuresDeleted = await cleanUpSignInFailures(deps);
  // Webhook retries that fell due, and events a crashed process committed but never delivered.
  await deps.webhooks.deliver();
  const summary = {
    expiry,
    idempotency_keys_deleted: idempotencyKeysDeleted,
    sessions_deleted: sessionsDeleted,
    sign_in_failures_deleted: signInFailuresDeleted,
  };
  deps.log("info", "scheduled jobs", summary);
  return summary;
}
