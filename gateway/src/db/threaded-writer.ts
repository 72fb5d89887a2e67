import { Worker } from "node:worker_threads";
import type { UnitReply, WriteReply, WriteRequest } from "./group-commit-thread.ts";
import { type AtomicWriter, asConstraintViolation, type Row, type SqlValue, type Statement } from "./writer";

type Pending = { resolve: (rows: Row[][]) => void; reject: (error: unknown) => void };

/**
 * The atomic writer for the embedded database file on Node: hands each unit to the group-commit thread
 * and resolves once its commit is durable. A refused unit comes back as a ConstraintViolation, exactly as
 * the libSQL and D1 writers report it.
 */
export class GroupCommitWriter implements AtomicWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #lastCommit = 0;
  #outbox: { id: number; statements: [number, SqlValue[]][] }[] = [];
  /** SQL texts by the number the thread knows them by, and those not sent yet (see WriteRequest). */
  readonly #texts = new Map<string, number>();
  #newTexts: [number, string][] = [];
  #forget = false;
  /** Commits and units, for the benchmark's report of units per commit. */
  readonly stats = { commits: 0, units: 0 };

  constructor(path: string) {
    this.#worker = new Worker(new URL("./group-commit-thread.ts", import.meta.url), { workerData: { path } });
    this.#worker.on("message", (reply: WriteReply) => this.#settle(reply));
    this.#worker.on("error", (error) => this.#failAll(error));
    this.#worker.on("exit", (code) => this.#failAll(new Error(`the group-commit thread exited (code ${code})`)));
  }

  /** Queues the unit; everything written in this turn of the event loop goes to the thread in one message. */
  write(statements: Statement[]): Promise<Row[][]> {
    this.#forgetTextsWhenMany();
    return new Promise((resolve, reject) => {
      const id = ++this.#nextId;
      this.#pending.set(id, { resolve, reject });
      if (this.#outbox.length === 0) setImmediate(() => this.#post());
      this.#outbox.push({
        id,
        statements: statements.map((statement) => [this.#textId(statement.sql), statement.args]),
      });
    });
  }

  #textId(sql: string): number {
    let id = this.#texts.get(sql);
    if (id === undefined) {
      id = this.#texts.size;
      this.#texts.set(sql, id);
      this.#newTexts.push([id, sql]);
    }
    return id;
  }

  /**
   * Texts are few (the statement builders'), but some vary with a count: past 5,000 both sides start afresh, the
   * units already queued sent first under the numbers they were given.
   */
  #forgetTextsWhenMany(): void {
    if (this.#texts.size < 5000) return;
    if (this.#outbox.length > 0) this.#post();
    this.#texts.clear();
    this.#forget = true;
  }

  #post(): void {
    if (this.#outbox.length === 0 && this.#newTexts.length === 0) return;
    const units = this.#outbox;
    this.#outbox = [];
    this.#worker.postMessage({ units, texts: this.#newTexts, forget: this.#forget } satisfies WriteRequest);
    this.#newTexts = [];
    this.#forget = false;
  }

  /** Commits what is queued, closes the thread's connection and ends the thread. */
  async close(): Promise<void> {
    if (this.#outbox.length > 0) this.#post();
    const id = ++this.#nextId;
    await new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as Pending["resolve"], reject });
      this.#worker.postMessage({ id, close: true } satisfies WriteRequest);
    });
  }

  #settle(reply: WriteReply): void {
    if ("replies" in reply) for (const unit of reply.replies) this.#settleUnit(unit);
    else this.#pending.get(reply.id)?.resolve([]);
  }

  #settleUnit(reply: UnitReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if ("error" in reply) {
      const error = Object.assign(new Error(reply.error.message), { code: reply.error.code });
      pending.reject(asConstraintViolation(error) ?? error);
      return;
    }
    this.stats.units += 1;
    if (reply.commit !== this.#lastCommit) {
      this.#lastCommit = reply.commit;
      this.stats.commits += 1;
    }
    pending.resolve(reply.rows as Row[][]);
  }

  #failAll(error: unknown): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
