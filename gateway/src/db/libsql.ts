import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { Db } from "./client";
import { GroupCommitWriter } from "./group-commit";
import * as schema from "./schema";
import { type AtomicWriter, libsqlWriter } from "./writer";

/**
 * Opens libSQL on Node: an embedded file, `:memory:`, or a Turso server. An embedded file runs in WAL mode
 * with synchronous=FULL, so every committed batch survives a power cut; busy_timeout lets a second
 * process (a CLI, a second gateway) wait for the write lock instead of failing.
 */
export async function openLibsql(
  url: string,
  authToken?: string,
): Promise<{ db: Db; client: Client; writer: AtomicWriter; close: () => void }> {
  const client = createClient({ url, authToken, intMode: "number" });
  if (url.startsWith("file:") || url === ":memory:") {
    for (const pragma of ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000", "foreign_keys = ON"])
      await client.execute(`PRAGMA ${pragma}`);
  }
  // An embedded file gets group commit (./group-commit.ts); :memory: must stay on its one connection.
  const groupCommit = url.startsWith("file:") ? new GroupCommitWriter(url.slice("file:".length)) : undefined;
  return {
    db: drizzle(client, { schema }),
    client,
    writer: groupCommit ?? libsqlWriter(client),
    close: () => {
      groupCommit?.close();
      client.close();
    },
  };
}
