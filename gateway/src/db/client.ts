import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "./schema";

/**
 * The database as the app sees it. libSQL (file, Turso over HTTP) and D1 both give drizzle's async SQLite
 * query builder with an atomic `batch`; entries build theirs and hand it over with this type. Code that
 * needs row counts uses `.returning()` so it reads the same on both drivers.
 */
export type Db = LibSQLDatabase<typeof schema>;

/** One item of `db.batch([...])`. */
export type BatchItem = Parameters<Db["batch"]>[0][number];
