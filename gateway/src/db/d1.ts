import type { D1Database, D1Result } from "@cloudflare/workers-types";
import { drizzle } from "drizzle-orm/d1";
import type { BatchItem, Db } from "./client";
import * as schema from "./schema";

/**
 * Opens a Cloudflare D1 binding. D1 enforces foreign keys on its own and refuses the PRAGMAs the libSQL
 * opener sets (journal mode and durability are D1's business), so there is nothing to run first.
 */
export function openD1(binding: D1Database): Db {
  const db = drizzle(binding, { schema });
  db.batch = ((items: BatchItem[]) => batch(binding, items)) as unknown as typeof db.batch;
  // drizzle's D1 database is the same async SQLite query builder as the libSQL one, and with the batch
  // above it behaves the same; only the raw result of `run` differs, which the app never reads (./client.ts).
  return db as unknown as Db;
}

/** What drizzle's batchable queries (builders and `db.run/all/get(sql)`) offer internally, as its own batch uses it. */
interface BatchQuery {
  _prepare(): BatchQuery;
  getQuery(): { sql: string; params: unknown[] };
  mapResult(result: unknown, isFromBatch: boolean): unknown;
  executeMethod?: "run" | "all" | "get";
}

/**
 * One atomic D1 batch, replacing drizzle-orm 0.45's D1 `batch`, which differs from libSQL's in two bugs:
 * a `db.run(sql`...${value}`)` item with parameters throws "Cannot read properties of undefined (reading
 * 'bind')" (drizzle-orm#2277; the migrator batches exactly that), and a `.get()` item that finds no row
 * throws in the row mapper instead of answering undefined (drizzle-orm#2721).
 */
async function batch(binding: D1Database, items: BatchItem[]): Promise<unknown[]> {
  const queries = items.map((item) => (item as unknown as BatchQuery)._prepare());
  const statements = queries.map((query) => {
    const { sql, params } = query.getQuery();
    return binding.prepare(sql).bind(...params);
  });
  const results: D1Result[] = await binding.batch(statements);
  return results.map((result, index) => {
    const query = queries[index] as BatchQuery;
    if (query.executeMethod === "get" && result.results.length === 0) return undefined;
    return query.mapResult(result, true);
  });
}
