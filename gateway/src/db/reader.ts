import type { Client } from "@libsql/client";
import type { D1Like, Row, SqlValue } from "./writer";

/**
 * Plain SQL reads for the hot paths (every authenticated request, every movement, balance reads): no query
 * building per call, and on the embedded file a cached native prepared statement (./native.ts). Everything
 * else reads through drizzle.
 */
export interface SqlReader {
  all<T = Row>(sql: string, args?: SqlValue[]): Promise<T[]>;
  /** The first row of the result, if any (the embedded file steps once instead of reading every row). */
  first<T = Row>(sql: string, args?: SqlValue[]): Promise<T | undefined>;
}

export async function first<T = Row>(reader: SqlReader, sql: string, args: SqlValue[] = []): Promise<T | undefined> {
  return reader.first<T>(sql, args);
}

/** libSQL client reads (`:memory:`, Turso over HTTP). */
export function libsqlReader(client: Client): SqlReader {
  const all = async <T>(sql: string, args: SqlValue[] = []) => {
    const result = await client.execute({ sql, args });
    return result.rows.map((row) => Object.fromEntries(result.columns.map((c) => [c, row[c]]))) as T[];
  };
  return { all, first: async <T>(sql: string, args?: SqlValue[]) => (await all<T>(sql, args))[0] };
}

/** D1 reads. */
export function d1Reader(d1: D1Like): SqlReader {
  const all = async <T>(sql: string, args: SqlValue[] = []) =>
    ((
      await d1
        .prepare(sql)
        .bind(...args)
        .all()
    ).results ?? []) as T[];
  return { all, first: async <T>(sql: string, args?: SqlValue[]) => (await all<T>(sql, args))[0] };
}
