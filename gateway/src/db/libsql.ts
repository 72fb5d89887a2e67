import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { Db } from "./client";
import { NativeDatabase } from "./native";
import { libsqlReader, type SqlReader } from "./reader";
import * as schema from "./schema";
import { GroupCommitWriter } from "./threaded-writer";
import { type AtomicWriter, libsqlWriter } from "./writer";

/**
 * Opens libSQL on Node: an embedded file, `:memory:`, or a Turso server. An embedded file runs in WAL mode
 * with synchronous=FULL, so every committed batch survives a power cut; busy_timeout lets a second
 * process (a CLI, a second gateway) wait for the write lock instead of failing.
 */
export async function openLibsql(
  url: string,
  authToken?: string,
): Promise<{ db: Db; client: Client; writer: AtomicWriter; reader: SqlReader; close: () => Promise<void> }> {
  // `timeout` is the busy timeout of every connection the client's pool opens (the PRAGMA below reaches only
  // the first): without it a pooled connection fails at once with SQLITE_BUSY while the group-commit thread
  // holds the write lock.
  const client = createClient({ url, authToken, intMode: "number", timeout: 5000 });
  if (url.startsWith("file:") || url === ":memory:") {
    for (const pragma of ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000", "foreign_keys = ON"])
      await client.execute(`PRAGMA ${pragma}`);
  }
  const db = drizzle(client, { schema });
  if (!url.startsWith("file:")) {
    // :memory: must stay on its one connection; a server is reached through the client.
    return {
      db,
      client,
      writer: libsqlWriter(client),
      reader: libsqlReader(client),
      close: async () => client.close(),
    };
  }
  // The embedded file: hot reads on a native connection here (./native.ts), writes group-committed by a
  // thread of their own with its own connection (./threaded-writer.ts); WAL lets both work at once.
  const path = url.slice("file:".length);
  const reader = new NativeDatabase(path);
  const writer = new GroupCommitWriter(path);
  return {
    db,
    client,
    writer,
    reader,
    close: async () => {
      await writer.close();
      reader.close();
      client.close();
    },
  };
}
