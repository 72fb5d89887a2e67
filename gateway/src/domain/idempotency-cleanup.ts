import { lt } from "drizzle-orm";
import { idempotencyKeys } from "../db/schema";
import type { Deps } from "../deps";

/** Idempotency keys are kept 48 hours (API.md promises at least 24), then deleted. */
export const idempotencyRetentionMs = 48 * 3600_000;

export async function cleanUpIdempotencyKeys(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - idempotencyRetentionMs);
  const deleted = await deps.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, cutoff))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
