import type { Table } from "drizzle-orm";

/** What a value of a column is as the SQL driver returns it: timestamps and booleans are integers there. */
type Stored<T> = T extends Date ? number : T extends boolean ? number : T;

/**
 * The row of a table as plain SQL returns it (`select * from members`): the SQL column names (snake_case)
 * and stored values, derived from the drizzle schema, so a hand-written row type can never drift from it.
 * `Pick<SqlRow<typeof members>, "id" | "external_id">` for a narrower select.
 */
export type SqlRow<T extends Table> = {
  [K in keyof T["_"]["columns"] as T["_"]["columns"][K]["_"]["name"]]: Stored<
    T["_"]["columns"][K]["_"]["notNull"] extends true
      ? T["_"]["columns"][K]["_"]["data"]
      : T["_"]["columns"][K]["_"]["data"] | null
  >;
};
