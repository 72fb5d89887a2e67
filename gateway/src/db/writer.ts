import type { Client } from "@libsql/client";

export type SqlValue = string | number | null;
export type Statement = { sql: string; args: SqlValue[] };
export type Row = Record<string, unknown>;

/**
 * Runs a list of statements as one atomic unit: all of them or none. Every money-moving operation is one
 * call, so its journal rows, balance updates, idempotency record and outbox event commit together.
 * Results are the rows of each statement (empty for statements without RETURNING or SELECT).
 */
export interface AtomicWriter {
  write(statements: Statement[]): Promise<Row[][]>;
}

/** A CHECK or UNIQUE constraint refused the unit; nothing of it was written. */
export class ConstraintViolation extends Error {
  constructor(
    readonly kind: "check" | "unique",
    readonly constraint: string,
    cause: unknown,
  ) {
    super(`${kind.toUpperCase()} constraint failed: ${constraint}`, { cause });
    this.name = "ConstraintViolation";
  }
}

/** Recognises constraint failures in the messages of libSQL (native and remote) and D1 alike. */
export function asConstraintViolation(error: unknown): ConstraintViolation | undefined {
  const message =
    error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : "";
  const match = /(CHECK|UNIQUE) constraint failed: ([\w.]+(?:, [\w.]+)*)/.exec(message);
  if (!match?.[1] || !match[2]) return undefined;
  return new ConstraintViolation(match[1] === "CHECK" ? "check" : "unique", match[2], error);
}

/** Turns a drizzle query builder into a plain statement. */
export const toStatement = (query: { toSQL(): { sql: string; params: unknown[] } }): Statement => {
  const { sql, params } = query.toSQL();
  return { sql, args: params as SqlValue[] };
};

/** libSQL's own batch (`:memory:` and Turso over HTTP): one atomic write transaction per call. */
export function libsqlWriter(client: Client): AtomicWriter {
  return {
    async write(statements) {
      try {
        const results = await client.batch(statements, "write");
        return results.map((result) =>
          result.rows.map((row) => Object.fromEntries(result.columns.map((c) => [c, row[c]]))),
        );
      } catch (error) {
        throw asConstraintViolation(error) ?? error;
      }
    },
  };
}

/** Minimal D1 surface, so this module does not need the Workers types. */
export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): { all(): Promise<{ results?: unknown[] }> } };
  batch(statements: unknown[]): Promise<{ results?: unknown[] }[]>;
}

/** D1's batch, which runs as one implicit transaction. */
export function d1Writer(d1: D1Like): AtomicWriter {
  return {
    async write(statements) {
      try {
        const results = await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.args)));
        return results.map((result) => (result.results ?? []) as Row[]);
      } catch (error) {
        throw asConstraintViolation(error) ?? error;
      }
    },
  };
}
