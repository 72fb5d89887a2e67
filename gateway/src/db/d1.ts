import type { D1Database } from "@cloudflare/workers-types";
import { drizzle } from "drizzle-orm/d1";
import type { Db } from "./client";
import * as schema from "./schema";

/**
 * Opens a Cloudflare D1 binding. D1 enforces foreign keys on its own and refuses the PRAGMAs the libSQL
 * opener sets (journal mode and durability are D1's business), so there is nothing to run here.
 */
export function openD1(binding: D1Database): Db {
  // drizzle's D1 database is the same async SQLite query builder with an atomic `batch` as the libSQL one;
  // only the raw result type of `run` differs, which the app never reads (see ./client.ts).
  return drizzle(binding, { schema }) as unknown as Db;
}
