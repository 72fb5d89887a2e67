import {
  type CopiedTable,
  copiedRows,
  deleteCopiedRowStatement,
  directoryTables,
  upsertCopiedRowStatement,
} from "../db/queries/directory-copy";
import type { SqlValue, Statement } from "../db/writer";
import type { Deps } from "../deps";
import { adoptShardDisablings } from "./endpoint-disablings";

type Row = Record<string, SqlValue>;

const keyOf = (table: CopiedTable, row: Row) => JSON.stringify(table.key.map((column) => row[column]));
const copiedPart = (table: CopiedTable, row: Row) =>
  JSON.stringify(table.columns.filter((column) => !table.local.has(column)).map((column) => row[column]));

/**
 * Makes one shard's copy of the directory (docs/scale-out.md, section 1) equal to the directory's rows: rows new or
 * changed in the directory upserted, rows gone from it deleted, in one atomic write, and nothing written when the
 * copy is current (so the shard's terms epoch, which its triggers bump on every write of these tables, moves only
 * when something changed). Returns how many rows it wrote.
 */
export async function copyDirectory(directory: Pick<Deps, "reader">, shard: Pick<Deps, "reader" | "writer">) {
  const upserts: Statement[] = [];
  const deletes: Statement[] = [];
  for (const table of directoryTables) {
    const [wanted, held] = await Promise.all([copiedRows(directory.reader, table), copiedRows(shard.reader, table)]);
    const heldByKey = new Map(held.map((row) => [keyOf(table, row), row]));
    for (const row of wanted) {
      const key = keyOf(table, row);
      const current = heldByKey.get(key);
      heldByKey.delete(key);
      if (!current || copiedPart(table, current) !== copiedPart(table, row))
        upserts.push(upsertCopiedRowStatement(table, row));
    }
    // Children first: a deleted row's children in later tables are deleted before it.
    for (const row of heldByKey.values()) deletes.unshift(deleteCopiedRowStatement(table, row));
  }
  const statements = [...deletes, ...upserts];
  if (statements.length > 0) await shard.writer.write(statements);
  return statements.length;
}

/** The copy under way or queued per directory (main's reader) in this process or isolate. */
const queues = new WeakMap<object, Promise<unknown>>();

/**
 * Copies the directory to every other database of a sharded deployment, one after the other, having first adopted the
 * shards' disablings of webhook endpoints (./endpoint-disablings.ts), which the copy would undo; nothing without
 * shards. The copies of one process run one at a time: overlapping ones could land an older read after a newer one
 * (across processes they still can, until the next copy repairs it). Returns how many rows it wrote.
 */
export function copyDirectoryToShards(deps: Pick<Deps, "shards">): Promise<number> {
  const shards = deps.shards;
  if (!shards) return Promise.resolve(0);
  const [main, ...others] = shards.names().map((name) => shards.deps(name));
  if (!main) return Promise.resolve(0);
  const run = (queues.get(main.reader) ?? Promise.resolve()).then(async () => {
    let written = await adoptShardDisablings(deps);
    for (const shard of others) written += await copyDirectory(main, shard);
    return written;
  });
  queues.set(
    main.reader,
    run.catch(() => undefined),
  );
  return run;
}
