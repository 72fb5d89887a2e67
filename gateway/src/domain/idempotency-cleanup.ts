import { deleteIdempotencyKeysBefore } from "../db/queries/idempotency";
import type { Deps } from "../deps";

/** Idempotency keys are kept 48 hours (API.md promises at least 24), then deleted. */
export const idempotencyRetentionMs = 48 * 3600_000;

export async function cleanUpIdempotencyKeys(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - idempotencyRetentionMs);
  return deleteIdempotencyKeysBefore(deps.db, cutoff);
}
