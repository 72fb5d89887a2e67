import type { Client } from "@libsql/client";
import type { D1Like, Row, SqlValue } from "./writer";

/**
 * Plain SQL reads for the hot paths (every authenticated request, every movement, balance reads): no query
 * building per call, and on the embedded file a cached native prepared statement (./native.ts). Everything
 * else reads through drizzle.
 */
export interface SqlReader {
  all<T = Row>(sql: string, args?: SqlValue[]): Promise<T[]>;
}

export async function first<T = Row>(reader: SqlReader, sql: string, args: SqlValue[] = []): Promise<T | undefined> {
  return (await reader.all<T>(sql, args))[0];
}

/** libSQL client reads (`:memory:`, Turso over HTTP). */
export function libsqlReader(client: Client): SqlReader {
  return {
    async all<T>(sql: string, args: SqlValue[] = []) {
      const result = await client.execute({ sql, args });
      return result.rows.map((row) => Object.fromEntries(result.columns.map((c) => [c, row[c]]))) as T[];
    },
  };
}

/** D1 reads. */
export function d1Reader(d1: D1Like): SqlReader {
  return {
    async all<T>(sql: string, args: SqlValue[] = []) {
      return ((
        await d1
          .prepare(sql)
          .bind(...args)
          .all()
      ).results ?? []) as T[];
    },
  };
}
