import { type Column, getTableColumns, type Table } from "drizzle-orm";

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

/** A row's columns renamed with a prefix (`agreement_id`...), for a joined table whose names collide. */
export type Prefixed<R, P extends string> = { [K in keyof R & string as `${P}${K}`]: R[K] };

/** The columns of a left-joined table: all null when nothing matched. */
export type Nullable<R> = { [K in keyof R]: R[K] | null };

type Mapped = { key: string; name: string; column: Column };
const mappedColumns = new WeakMap<Table, Map<string, Mapped[]>>();

/** The columns of a table with their names in a prefixed select list; computed once per table and prefix. */
function columnsOf(table: Table, prefix: string): Mapped[] {
  let byPrefix = mappedColumns.get(table);
  if (!byPrefix) {
    byPrefix = new Map();
    mappedColumns.set(table, byPrefix);
  }
  let columns = byPrefix.get(prefix);
  if (!columns) {
    columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({
      key,
      name: `${prefix}${column.name}`,
      column,
    }));
    byPrefix.set(prefix, columns);
  }
  return columns;
}

/**
 * Every column of `table` for a plain SQL select list, `alias.column`, or `alias.column as prefix_column` with a
 * prefix: what `fromSqlRow` maps back. Built from the schema, so the list and the row type cannot disagree.
 */
export const selectList = (table: Table, alias: string, prefix = ""): string =>
  columnsOf(table, prefix)
    .map(({ name, column }) => `${alias}.${column.name}${prefix ? ` as ${name}` : ""}`)
    .join(", ");

/**
 * The one mapper of plain SQL rows: the columns of `selectList(table, alias, prefix)` as drizzle's own reads
 * return them (camelCase keys, timestamps as dates, booleans), through the schema's own column mappings.
 */
export function fromSqlRow<T extends Table, P extends string = "">(
  table: T,
  row: Prefixed<SqlRow<T>, P>,
  prefix?: P,
): T["$inferSelect"] {
  const values = row as Record<string, unknown>;
  const mapped: Record<string, unknown> = {};
  for (const { key, name, column } of columnsOf(table, prefix ?? "")) {
    const value = values[name];
    mapped[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return mapped as T["$inferSelect"];
}

/** `fromSqlRow` for a left-joined table: undefined when the join matched no row (its key column is null). */
export function fromJoinedRow<T extends Table, P extends string>(
  table: T,
  row: Nullable<Prefixed<SqlRow<T>, P>>,
  prefix: P,
): T["$inferSelect"] | undefined {
  const key = columnsOf(table, prefix).find(({ column }) => column.primary || column.notNull);
  if (!key || (row as Record<string, unknown>)[key.name] === null) return undefined;
  // A matched row carries the table's values as stored, nulls only where the schema allows them.
  return fromSqlRow(table, row as unknown as Prefixed<SqlRow<T>, P>, prefix);
}
