import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { Db } from "./client";
import { GroupCommitWriter } from "./group-commit";
import { NativeDatabase } from "./native";
import { libsqlReader, type SqlReader } from "./reader";
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
): Promise<{ db: Db; client: Client; writer: AtomicWriter; reader: SqlReader; close: () => void }> {
  const client = createClient({ url, authToken, intMode: "number" });
  if (url.startsWith("file:") || url === ":memory:") {
    for (const pragma of ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000", "foreign_keys = ON"])
      await client.execute(`PRAGMA ${pragma}`);
  }
  const db = drizzle(client, { schema });
  if (!url.startsWith("file:")) {
    // :memory: must stay on its one connection; a server is reached through the client.
    return { db, client, writer: libsqlWriter(client), reader: libsqlReader(client), close: () => client.close() };
  }
  // The embedded file: hot reads and group-commit writes on one native connection (./native.ts).
  const native = new NativeDatabase(url.slice("file:".length));
  const writer = new GroupCommitWriter(native);
  return {
    db,
    client,
    writer,
    reader: native,
    close: () => {
      writer.drain();
      native.close();
      client.close();
    },
  };
}
