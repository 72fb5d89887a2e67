import { lte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { sandboxClock } from "../schema";
import type { SqlRow } from "./rows";

/**
 * How far the sandbox clock runs ahead of real time, in milliseconds: 0 until it first moves. Plain SQL on a
 * cached statement, since a sandbox reads it before every request.
 */
export async function findSandboxClockOffset(reader: SqlReader): Promise<number> {
  const row = await first<Pick<SqlRow<typeof sandboxClock>, "offset_ms">>(
    reader,
    "select offset_ms from sandbox_clock where id = 1",
  );
  return row?.offset_ms ?? 0;
}

/**
 * Moves the offset forward by `ms` in one statement, so concurrent moves add up; answers the new offset.
 */
export async function advanceSandboxClockOffset(db: Db, ms: number, at: Date): Promise<number> {
  const [row] = await db
    .insert(sandboxClock)
    .values({ id: 1, offsetMs: ms, updatedAt: at })
    .onConflictDoUpdate({
      target: sandboxClock.id,
      set: { offsetMs: sql`${sandboxClock.offsetMs} + ${ms}`, updatedAt: at },
    })
    .returning({ offsetMs: sandboxClock.offsetMs });
  if (!row) throw new Error("the sandbox clock upsert returned no row");
  return row.offsetMs;
}

/**
 * Sets the offset to `ms` (at least 0) unless it is already larger, in one statement, so a concurrent move
 * cannot be undone; answers the new offset, or undefined when the clock is already further ahead.
 */
export async function raiseSandboxClockOffset(db: Db, ms: number, at: Date): Promise<number | undefined> {
  const [row] = await db
    .insert(sandboxClock)
    .values({ id: 1, offsetMs: ms, updatedAt: at })
    .onConflictDoUpdate({
      target: sandboxClock.id,
      set: { offsetMs: ms, updatedAt: at },
      setWhere: lte(sandboxClock.offsetMs, ms),
    })
    .returning({ offsetMs: sandboxClock.offsetMs });
  return row?.offsetMs;
}
