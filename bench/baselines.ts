import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { Hono } from "hono";
import { drive, type LoadResult } from "./drive";
import { serveOnLoopback, viaAdaptor } from "./serve";

/**
 * Baseline (a): the cheapest possible Hono app, served the same way and loaded the same way as the gateway.
 * Every scenario is reported as a share of it, so the figures compare across machines.
 */
export async function helloWorld(options: { connections: number; seconds: number; warmupSeconds: number }) {
  const app = new Hono();
  app.get("/hello", (c) => c.text("ok"));
  const served = await serveOnLoopback(viaAdaptor(app.fetch));
  try {
    if (options.warmupSeconds > 0)
      await drive({ kind: "hello", url: served.url, ...options, seconds: options.warmupSeconds });
    return await drive({ kind: "hello", url: served.url, ...options });
  } finally {
    await served.close();
  }
}

/** Same PRAGMAs as gateway/src/db/libsql.ts opens an embedded file with. */
const pragmas = ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000", "foreign_keys = ON"];

/**
 * Baseline (b): single-row autocommit inserts, one after the other, through @libsql/client on a file
 * database in WAL with synchronous=FULL. Each commit pays its own fsync, so this is the disk's durable
 * commit rate: what a gateway without group commit could reach at best.
 */
export async function bareInserts(seconds: number): Promise<{ insertsPerSecond: number; inserts: number }> {
  const dir = mkdtempSync(join(tmpdir(), "gateway-bench-insert-"));
  const client = createClient({ url: `file:${join(dir, "bare.db")}`, intMode: "number" });
  try {
    for (const pragma of pragmas) await client.execute(`PRAGMA ${pragma}`);
    await client.execute(
      "create table entries (id integer primary key, account_id text not null, amount integer not null, created_at integer not null)",
    );
    const started = performance.now();
    const until = started + seconds * 1000;
    let inserts = 0;
    while (performance.now() < until) {
      await client.execute({
        sql: "insert into entries (account_id, amount, created_at) values (?, ?, ?)",
        args: [`acc_${inserts % 1000}`, 10, Date.now()],
      });
      inserts += 1;
    }
    return { insertsPerSecond: inserts / ((performance.now() - started) / 1000), inserts };
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Baselines = { hello: LoadResult; inserts: { insertsPerSecond: number; inserts: number } };
