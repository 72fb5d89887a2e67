import Database from "libsql";
import type { SqlReader } from "./reader.ts";
import type { Row, SqlValue } from "./writer.ts";

/** A cached prepared statement; a reader's rows come back as arrays (raw mode) and are built by `toRow`. */
type Prepared = { statement: Database.Statement; toRow?: (values: unknown[]) => Row };

/**
 * The embedded database file through libsql's native, synchronous API, with prepared statements cached
 * by their SQL text. A cached point read costs microseconds here, against tens through the async client.
 * Node only. Each thread opens its own: the main thread one for the hot reads (./libsql.ts), the group-commit
 * thread one for its writes (./group-commit-thread.ts). WAL lets reads run while the writer commits, and a
 * read that starts after a commit returned sees it, so a caller always reads its own acknowledged writes.
 */
export class NativeDatabase implements SqlReader {
  readonly db: Database.Database;
  readonly #statements = new Map<string, Prepared>();
  constructor(path: string) {
    this.db = new Database(path);
    // 64 MiB of page cache: point reads of hot rows stay in memory instead of going back to the OS for every page
    // (the default cache is 2 MiB). No memory-mapped reads: after another connection commits (the group-commit
    // thread, after every batch), a connection drops its page cache, and reading the pages again through the map
    // cost 265-400 us for the member read against 58 us through plain reads (bench/README.md, "Reads after a
    // commit"); warm reads were no faster mapped.
    // busy_timeout first: setting the journal mode takes a lock, and another connection (the other thread's, a script's)
    // may hold one for a moment; without the timeout in force yet that fails at once with "database is locked".
    this.db.exec(
      "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;" +
        " PRAGMA cache_size = -65536; PRAGMA mmap_size = 0;",
    );
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#statements.get(sql);
    if (!prepared) {
      if (this.#statements.size >= 500) this.#statements.clear();
      const statement = this.db.prepare(sql);
      prepared = { statement };
      if (statement.reader) {
        // The driver makes each row an object key by key, which costs more than running a point query (a 50-column
        // row: 19 µs of 35); arrays built into objects of one fixed shape cost a tenth of that.
        statement.raw(true);
        prepared.toRow = rowBuilder(statement.columns().map((column) => column.name));
      }
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Runs one statement: a reader's rows, or nothing for a write without RETURNING. */
  execute(sql: string, args: SqlValue[]): Row[] {
    const { statement, toRow } = this.#prepare(sql);
    if (!toRow) {
      statement.run(...args);
      return [];
    }
    return (statement.all(...args) as unknown[][]).map(toRow);
  }

  async all<T = Row>(sql: string, args: SqlValue[] = []): Promise<T[]> {
    return this.execute(sql, args) as T[];
  }

  /** The first row only: the driver's `get` steps once, where `all` sets up an iterator of 100-row pages. */
  async first<T = Row>(sql: string, args: SqlValue[] = []): Promise<T | undefined> {
    const { statement, toRow } = this.#prepare(sql);
    if (!toRow) throw new Error("first() needs a statement that returns rows");
    const values = statement.get(...args) as unknown[] | undefined;
    return values && (toRow(values) as T);
  }

  close(): void {
    this.db.close();
  }
}

/** A function that makes a row object from a raw row's values, its keys the column names in order. */
function rowBuilder(names: string[]): (values: unknown[]) => Row {
  // Computed keys, so even a column named `__proto__` is a field, not the object's prototype.
  const fields = names.map((name, index) => `[${JSON.stringify(name)}]: values[${index}]`);
  return new Function("values", `return { ${fields.join(", ")} };`) as (values: unknown[]) => Row;
}
