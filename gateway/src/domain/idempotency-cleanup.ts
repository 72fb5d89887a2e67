import { deleteIdempotencyKeysBefore } from "../db/queries/idempotency";
import type { Deps } from "../deps";

/** Idempotency keys are kept 48 hours (the API promises at least 24: README "Points ledger"), then deleted. */
export const idempotencyRetentionMs = 48 * 3600_000;

export async function cleanUpIdempotencyKeys(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - idempotencyRetentionMs);
  return deleteIdempotencyKeysBefore(deps.db, cutoff);
}
