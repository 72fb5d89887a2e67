import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import type { Db } from "./client";
import { libsqlReader, type SqlReader } from "./reader";
import * as schema from "./schema";
import { type AtomicWriter, libsqlWriter } from "./writer";

/**
 * Opens a Turso/libSQL server over HTTP with only Web APIs, for Workers. `libsql://` is spoken as
 * `https://` here. WebSocket URLs are refused by the caller: a socket opened while one request is served
 * cannot be used by the next request in workerd, and the database outlives requests.
 */
export function openLibsqlWeb(url: string, authToken?: string): { db: Db; writer: AtomicWriter; reader: SqlReader } {
  const client = createClient({ url, authToken, intMode: "number" });
  return { db: drizzle(client, { schema }), writer: libsqlWriter(client), reader: libsqlReader(client) };
}
