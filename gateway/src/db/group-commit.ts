import type { NativeDatabase } from "./native.ts";
import type { Row, Statement } from "./writer.ts";

type Unit = { statements: Statement[]; resolve: (result: Committed) => void; reject: (error: unknown) => void };

/** A unit's rows, and the sequence number of the commit that made it durable. */
export type Committed = { rows: Row[][]; commit: number };

/**
 * Group commit for the embedded database file. Durable commits (synchronous=FULL) cost one fsync each,
 * 0.2 to 2 ms on this kind of disk, which would cap the gateway at a few hundred to a few thousand writes per
 * second. Instead, every unit that arrives within one turn of the event loop is written in one
 * transaction, each inside its own SAVEPOINT: a unit that breaks a constraint is rolled back alone and
 * rejected, the others commit together with one fsync, and nobody is told "done" before that fsync.
 * Durability is not weakened, only shared.
 *
 * It runs in its own thread (./group-commit-thread.ts), so the fsync never blocks the HTTP event loop;
 * the flush is synchronous there, so nothing interleaves with the open transaction.
 */
export class GroupCommit {
  readonly #native: NativeDatabase;
  readonly #maxUnits: number;
  #queue: Unit[] = [];
  #scheduled = false;
  #commits = 0;

  constructor(native: NativeDatabase, maxUnitsPerCommit = 256) {
    this.#native = native;
    this.#maxUnits = maxUnitsPerCommit;
  }

  write(statements: Statement[]): Promise<Committed> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ statements, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  /** Commits everything queued. */
  drain(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) this.#commit(this.#queue.splice(0, this.#maxUnits));
  }

  #commit(units: Unit[]): void {
    const db = this.#native.db;
    const outcomes: ({ ok: true; rows: Row[][] } | { ok: false; error: unknown })[] = [];
    try {
      db.exec("BEGIN IMMEDIATE");
      for (const unit of units) {
        db.exec("SAVEPOINT unit");
        try {
          const rows = unit.statements.map((statement) => this.#native.execute(statement.sql, statement.args));
          db.exec("RELEASE unit");
          outcomes.push({ ok: true, rows });
        } catch (error) {
          db.exec("ROLLBACK TO unit");
          db.exec("RELEASE unit");
          outcomes.push({ ok: false, error });
        }
      }
      db.exec("COMMIT");
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      for (const unit of units) unit.reject(error);
      return;
    }
    const commit = ++this.#commits;
    units.forEach((unit, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) unit.resolve({ rows: outcome.rows, commit });
      else unit.reject(outcome?.error);
    });
  }
}
