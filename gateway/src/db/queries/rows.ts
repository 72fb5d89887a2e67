import { Column, getTableColumns, type Table } from "drizzle-orm";

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

type Columns<T extends Table> = T["_"]["columns"];
/** A column's key in drizzle's select shape (`programId`). */
type ColumnKey<T extends Table> = keyof Columns<T> & string;
type ColumnName<T extends Table, K> = K extends keyof Columns<T> ? Columns<T>[K]["_"]["name"] : never;

/** The plain SQL row of a projection: the table's columns but `K`, named with the prefix. */
type ProjectedRow<T extends Table, P extends string = "", K extends ColumnKey<T> = never> = Prefixed<
  Omit<SqlRow<T>, ColumnName<T, K>>,
  P
>;

/**
 * Columns of a table as plain SQL selects and maps them, built once at start-up: the select list and the one
 * mapper of its rows (camelCase keys, timestamps as dates, booleans), so they can never disagree with each
 * other or with the schema. `prefix` renames the columns of a joined table whose names collide (`agreement_id`);
 * `omit` leaves out columns a hot query need not read, since every column read costs time there.
 */
export function projection<T extends Table, P extends string = "", K extends ColumnKey<T> = never>(
  table: T,
  options: { prefix?: P; omit?: readonly K[] } = {},
) {
  const prefix = options.prefix ?? "";
  const omitted: readonly string[] = options.omit ?? [];
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => !omitted.includes(key));
  const keys = columns.map(([key]) => key);
  const names = columns.map(([, column]) => `${prefix}${column.name}`);
  // Most values come back from the driver as the domain wants them; timestamps and booleans need the schema's mapping.
  const converters = columns.map(([, column]) =>
    column.mapFromDriverValue === Column.prototype.mapFromDriverValue ? undefined : column,
  );
  // A left join that matched no row leaves this not-null column null.
  const joinKey = names[columns.findIndex(([, column]) => column.notNull)];
  type Row = ProjectedRow<T, P, K>;
  type Value = Omit<T["$inferSelect"], K>;
  // An indexed loop over arrays built once: this runs for every row of the hot reads.
  const map = (row: Row): Value => {
    const values = row as Record<string, unknown>;
    const mapped: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = values[names[i] as string] ?? null;
      const convert = converters[i];
      mapped[keys[i] as string] = value === null || !convert ? value : convert.mapFromDriverValue(value);
    }
    return mapped as Value;
  };
  return {
    /** The select list: `alias.column`, or `alias.column as prefix_column`. */
    select: (alias: string) =>
      columns.map(([, column], i) => `${alias}.${column.name}${prefix ? ` as ${names[i]}` : ""}`).join(", "),
    /** The columns as one JSON object keyed as `select` names them: rows gathered into one column by `json_group_array`. */
    jsonObject: (alias: string) =>
      `json_object(${columns.map(([, column], i) => `'${names[i]}', ${alias}.${column.name}`).join(", ")})`,
    map,
    /** `map` for a left-joined table: undefined when the join matched no row. */
    mapJoined: (row: Nullable<Row>): Value | undefined =>
      joinKey && (row as Record<string, unknown>)[joinKey] === null
        ? undefined
        : // A matched row carries the table's values as stored, nulls only where the schema allows them.
          map(row as unknown as Row),
  };
}

/** The plain SQL row a projection maps: `RowOf<typeof memberColumns>`. */
export type RowOf<P extends { map: (row: never) => unknown }> = Parameters<P["map"]>[0];

type FullProjection = ReturnType<typeof projection<Table, string>>;
const fullProjections = new WeakMap<Table, Map<string, FullProjection>>();

/** The projection of every column of a table, per prefix, built on first use. */
function everyColumn(table: Table, prefix: string): FullProjection {
  let byPrefix = fullProjections.get(table);
  if (!byPrefix) {
    byPrefix = new Map();
    fullProjections.set(table, byPrefix);
  }
  let found = byPrefix.get(prefix);
  if (!found) {
    found = projection(table, { prefix });
    byPrefix.set(prefix, found);
  }
  return found;
}

/** Every column of `table` for a plain SQL select list (see `projection`), mapped back by `fromSqlRow`. */
export const selectList = (table: Table, alias: string, prefix = ""): string =>
  everyColumn(table, prefix).select(alias);

/** A plain SQL row of every column of `table` as drizzle's own reads return it (see `projection`). */
export function fromSqlRow<T extends Table, P extends string = "">(
  table: T,
  row: Prefixed<SqlRow<T>, P>,
  prefix?: P,
): T["$inferSelect"] {
  return everyColumn(table, prefix ?? "").map(row) as T["$inferSelect"];
}
