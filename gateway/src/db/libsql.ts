import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { Db } from "./client";
import * as schema from "./schema";

/**
 * Opens libSQL on Node: an embedded file, `:memory:`, or a Turso server. An embedded file runs in WAL mode
 * with synchronous=FULL, so every committed batch survives a power cut; busy_timeout lets a second
 * process (a CLI, a second gateway) wait for the write lock instead of failing.
 */
export async function openLibsql(url: string, authToken?: string): Promise<{ db: Db; client: Client }> {
  const client = createClient({ url, authToken, intMode: "number" });
  if (url.startsWith("file:") || url === ":memory:") {
    for (const pragma of ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000", "foreign_keys = ON"])
      await client.execute(`PRAGMA ${pragma}`);
  }
  return { db: drizzle(client, { schema }), client };
}
