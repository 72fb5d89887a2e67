import type { SqlReader } from "../reader";
import type { SqlValue } from "../writer";

/**
 * The one way an ad-hoc report reaches the database: a dataset (adhoc-transactions.ts and its siblings) declares the
 * SQL of every dimension, measure and filter field it offers, and `runAdhoc` only ever joins those whitelisted
 * expressions by name. Nothing a partner sends becomes SQL except through them, and through the segment rule
 * compiler (segment-rules.ts), which writes checked values as literals.
 */

/** A time bucket of the dataset's time column, in the program's zone: its first local day, YYYY-MM-DD. */
export type Bucket = "day" | "week" | "month";

/** A dimension: an SQL expression over the dataset's rows, or a local time bucket of its time column. */
export type DimensionSql = string | { bucket: Bucket };

/** The time dimensions of a dataset whose rows are events: the day, ISO week and month of its time column. */
export const timeDimensions = {
  day: { bucket: "day" },
  week: { bucket: "week" },
  month: { bucket: "month" },
} as const satisfies Record<Bucket, DimensionSql>;

/** A filter field: its SQL, and what its values are ("string", "number", or the closed list of strings it takes). */
export type FilterColumn = { sql: string; kind: "string" | "number" | readonly string[] };

export type AdhocDataset = {
  /** The rows, with the member each concerns joined as `m` (the segment fields read it). */
  from: string;
  /** The column naming the program a row belongs to. */
  program: string;
  /** The instant (epoch ms) the range and the time buckets read. */
  time: string;
  dimensions: Readonly<Record<string, DimensionSql>>;
  /** Aggregates; each answers a number, or null where nothing was there to aggregate (a mean of no ratings). */
  measures: Readonly<Record<string, string>>;
  filters: Readonly<Record<string, FilterColumn>>;
};

/** The UTC offset (ms) local time has from `from` on, until the next change. */
export type OffsetChange = { from: number; offset: number };

export type AdhocQuery = {
  programId: string;
  /** The instants [since, until) of the range. */
  since: number;
  until: number;
  /** The zone's offsets over the range, oldest first; the first holds from `since`. */
  offsets: readonly OffsetChange[];
  dimensions: readonly string[];
  measures: readonly string[];
  /** A compiled rule over the dataset's rows, or null for all of them. */
  where: { sql: string; args: SqlValue[] } | null;
  /** The most groups to read. */
  limit: number;
};

/** The local wall-clock instant of `column`: the column plus the offset in force at it (a `case` per change). */
function localInstant(column: string, offsets: readonly OffsetChange[]): string {
  const [first, ...changes] = offsets;
  if (!first) throw new Error("no offset for the range");
  if (changes.length === 0) return `(${column} + ${first.offset})`;
  let previous = first.offset;
  const whens = changes.map((change) => {
    const when = `when ${column} < ${change.from} then ${previous}`;
    previous = change.offset;
    return when;
  });
  return `(${column} + case ${whens.join(" ")} else ${previous} end)`;
}

/** A bucket's first local day: the day itself, the Monday of its ISO week, or the first of its month. */
function bucketSql(bucket: Bucket, local: string): string {
  const seconds = `${local} / 1000, 'unixepoch'`;
  if (bucket === "day") return `date(${seconds})`;
  if (bucket === "week") return `date(${seconds}, 'weekday 0', '-6 days')`;
  return `date(${seconds}, 'start of month')`;
}

/**
 * The groups of a dataset's rows of one program in [since, until) meeting `where`: per distinct combination of the
 * dimensions (ordered by them, nulls first), the measures; with no dimension, one row of totals. Columns come back
 * named by the dimensions and measures asked for. At most `limit` groups.
 */
export async function runAdhoc(
  reader: SqlReader,
  dataset: AdhocDataset,
  query: AdhocQuery,
): Promise<Record<string, SqlValue>[]> {
  const local = localInstant(dataset.time, query.offsets);
  const dimensions = query.dimensions.map((name, i) => {
    const sql = dataset.dimensions[name];
    if (sql === undefined) throw new Error(`no dimension ${name}`);
    return `${typeof sql === "string" ? sql : bucketSql(sql.bucket, local)} as d${i}`;
  });
  const measures = query.measures.map((name, i) => {
    const sql = dataset.measures[name];
    if (sql === undefined) throw new Error(`no measure ${name}`);
    return `${sql} as m${i}`;
  });
  const groups = query.dimensions.map((_, i) => `d${i}`).join(", ");
  const grouped = groups ? `group by ${groups} order by ${groups}` : "";
  const rows = await reader.all<Record<string, SqlValue>>(
    `select ${[...dimensions, ...measures].join(", ")} from ${dataset.from}
     where ${dataset.program} = ? and ${dataset.time} >= ? and ${dataset.time} < ?
       ${query.where ? `and ${query.where.sql}` : ""}
     ${grouped} limit ?`,
    [query.programId, query.since, query.until, ...(query.where?.args ?? []), query.limit],
  );
  return rows.map((row) =>
    Object.fromEntries([
      ...query.dimensions.map((name, i) => [name, row[`d${i}`] ?? null]),
      ...query.measures.map((name, i) => [name, row[`m${i}`] ?? null]),
    ]),
  );
}
