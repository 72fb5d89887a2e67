import { sql } from "drizzle-orm";
import type { BatchItem, Db } from "./client";

export interface Migration {
  tag: string;
  sql: string;
}

/**
 * A migration whose SQL the database refused while it could still answer the check that follows, so the
 * cause is the schema (such as "table already exists"), not a lost connection: waiting will not fix it.
 */
export class MigrationError extends Error {
  constructor(
    readonly tag: string,
    cause: unknown,
  ) {
    super(`migration ${tag} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MigrationError";
  }
}

/**
 * Wrangler's own bookkeeping table, exactly as `wrangler d1 migrations apply` (wrangler 4) creates it: one row
 * per applied file of `migrations_dir`, named like `0000_init.sql`. The migrator reads and writes it too, so
 * wrangler and the gateway agree on what is applied whichever of them runs first.
 */
const createWranglerTable = sql.raw(`CREATE TABLE IF NOT EXISTS "d1_migrations"(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`);

/** Wrangler names a migration by its file, migrations/<tag>.sql (scripts/embed-migrations.ts). */
const fileOf = (tag: string) => `${tag}.sql`;
const tagOf = (file: string) => file.replace(/\.sql$/, "");

/**
 * Applies pending migrations in order, each as one atomic batch together with its bookkeeping rows, so a
 * crash or a concurrent starter never leaves a migration half applied. Works on libSQL and D1 alike.
 *
 * A migration counts as applied when either `__migrations` (the gateway's) or `d1_migrations` (wrangler's)
 * records it, and every migration applied here is recorded in both, so `wrangler d1 migrations apply` may run
 * before or after the gateway. The same tables exist on Node and Turso, where wrangler never looks: one schema
 * everywhere, and a database exported from D1 stays consistent.
 */
export async function migrate(db: Db, migrations: readonly Migration[], now: Date): Promise<string[]> {
  const done = await recorded(db, now);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.tag)) continue;
    const statements = migration.sql
      .split("--> statement-breakpoint")
      .map((statement) => statement.trim())
      .filter(Boolean);
    try {
      await batch(db, [
        ...statements.map((statement) => db.run(sql.raw(statement))),
        ...record(db, migration.tag, now),
      ]);
    } catch (error) {
      // When the database cannot answer this check either, its error propagates as it is, not as a
      // MigrationError: the entries treat that as transient (gateway/src/worker.ts).
      const again = await db.all(
        sql`select 1 from __migrations where tag = ${migration.tag}
            union all select 1 from d1_migrations where name = ${fileOf(migration.tag)}`,
      );
      // Another process (a second isolate, or wrangler) applied it first; the next start copies its record.
      if (again.length > 0) continue;
      throw new MigrationError(migration.tag, error);
    }
    applied.push(migration.tag);
  }
  return applied;
}

/**
 * Creates both bookkeeping tables if needed and answers every tag either records. A migration recorded in
 * one table only (applied by wrangler, or by a gateway older than this two-table bookkeeping) is written
 * into the other, so neither tool tries to apply it again.
 */
async function recorded(db: Db, now: Date): Promise<Set<string>> {
  const [, , ours, wranglers] = (await batch(db, [
    db.run(sql`create table if not exists __migrations (tag text primary key, applied_at integer not null)`),
    db.run(createWranglerTable),
    db.all(sql`select tag from __migrations order by tag`),
    db.all(sql`select name from d1_migrations order by id`),
  ])) as [unknown, unknown, { tag: string }[], { name: string }[]];
  const inOurs = new Set(ours.map((row) => row.tag));
  const inWranglers = new Set(wranglers.map((row) => tagOf(row.name)));
  const missing = [
    ...[...inWranglers].filter((tag) => !inOurs.has(tag)).map((tag) => ourRecord(db, tag, now)),
    ...[...inOurs].filter((tag) => !inWranglers.has(tag)).map((tag) => wranglerRecord(db, tag)),
  ];
  if (missing.length > 0) await batch(db, missing);
  return new Set([...inOurs, ...inWranglers]);
}

/**
 * The bookkeeping rows of one migration, written in its own batch. A plain insert: if a concurrent starter
 * applied the migration first, the unique tag or name fails this batch and rolls its statements back, so
 * even a migration whose SQL could run twice (a data update) runs once.
 */
function record(db: Db, tag: string, now: Date): BatchItem[] {
  return [
    db.run(sql`insert into __migrations (tag, applied_at) values (${tag}, ${now.getTime()})`),
    db.run(sql`insert into d1_migrations (name) values (${fileOf(tag)})`),
  ];
}

/** Copies a record from the other table. `or ignore`: a concurrent starter may copy it first. */
const ourRecord = (db: Db, tag: string, now: Date): BatchItem =>
  db.run(sql`insert or ignore into __migrations (tag, applied_at) values (${tag}, ${now.getTime()})`);

/** applied_at is left to the column's default (UTC "YYYY-MM-DD HH:MM:SS"), as wrangler leaves it. */
const wranglerRecord = (db: Db, tag: string): BatchItem =>
  db.run(sql`insert or ignore into d1_migrations (name) values (${fileOf(tag)})`);

function batch(db: Db, items: BatchItem[]): Promise<readonly unknown[]> {
  return db.batch(items as unknown as Parameters<Db["batch"]>[0]);
}
