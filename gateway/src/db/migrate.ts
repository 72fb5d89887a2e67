import { sql } from "drizzle-orm";
import type { Db } from "./client";

export interface Migration {
  tag: string;
  sql: string;
}

/**
 * Applies pending migrations in order, each as one atomic batch together with its bookkeeping row, so a
 * crash or a concurrent starter never leaves a migration half applied. Works on libSQL and D1 alike.
 */
export async function migrate(db: Db, migrations: readonly Migration[], now: Date): Promise<string[]> {
  await db.run(sql`create table if not exists __migrations (tag text primary key, applied_at integer not null)`);
  const rows = await db.all<{ tag: string }>(sql`select tag from __migrations`);
  const done = new Set(rows.map((row) => row.tag));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.tag)) continue;
    const statements = migration.sql
      .split("--> statement-breakpoint")
      .map((statement) => statement.trim())
      .filter(Boolean);
    try {
      await db.batch([
        ...statements.map((statement) => db.run(sql.raw(statement))),
        db.run(sql`insert into __migrations (tag, applied_at) values (${migration.tag}, ${now.getTime()})`),
      ] as unknown as Parameters<Db["batch"]>[0]);
    } catch (error) {
      const again = await db.all<{ tag: string }>(sql`select tag from __migrations where tag = ${migration.tag}`);
      if (again.length > 0) continue; // another process applied it first
      throw error;
    }
    applied.push(migration.tag);
  }
  return applied;
}
