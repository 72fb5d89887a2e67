import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { SqlReader } from "../reader";
import {
  agreements,
  conversionRates,
  credentials,
  partners,
  programs,
  programVelocityRules,
  sandboxClock,
  transferRules,
  webhookEndpoints,
} from "../schema";
import type { SqlValue, Statement } from "../writer";

/**
 * A directory table as a shard holds a copy of it (docs/scale-out.md, section 1): its columns, its primary key, the
 * columns the shard keeps its own values of, which a copy sets on insert only, and of those the ones a copy clears
 * when its SQL condition holds for the row it updates (`excluded.` the directory's values, the table's the shard's).
 */
export type CopiedTable = {
  name: string;
  columns: string[];
  key: string[];
  local: Set<string>;
  clearedWhen: Map<string, string>;
};

const copied = (table: SQLiteTable, local: string[] = [], clearedWhen: Record<string, string> = {}): CopiedTable => {
  const config = getTableConfig(table);
  const columns = config.columns.map((column) => column.name);
  const key = config.primaryKeys[0]?.columns.map((column) => column.name) ?? [];
  const single = config.columns.filter((column) => column.primary).map((column) => column.name);
  return {
    name: config.name,
    columns,
    key: key.length > 0 ? key : single,
    local: new Set(local),
    clearedWhen: new Map(Object.entries(clearedWhen)),
  };
};

/**
 * The directory tables the shards' own SQL joins, parents before children (foreign keys). Signing keys and portal
 * users are not copied: every database's deps verify tokens with the directory's KeyStore, and the portal is served
 * by main. Local columns: a program's tier table and promotions are written on its shard, which bumps these
 * versions there; a webhook endpoint's failing streak is the shard runner's own, and an endpoint enabled again in the
 * directory starts it over there, as enabling does on one database (webhooks/endpoints.ts).
 */
export const directoryTables: readonly CopiedTable[] = [
  copied(partners),
  copied(credentials, ["last_used_at"]),
  copied(programs, ["tier_window_days", "tier_table_version", "tiers_updated_at", "promotions_version"]),
  copied(agreements),
  copied(programVelocityRules),
  copied(transferRules),
  copied(conversionRates),
  copied(webhookEndpoints, ["failing_since"], {
    failing_since: `excluded."status" = 'enabled' and "webhook_endpoints"."status" <> 'enabled'`,
  }),
  copied(sandboxClock),
];

const quoted = (name: string) => `"${name}"`;

/** Every row of a copied table, as plain values in its column order. */
export const copiedRows = (reader: SqlReader, table: CopiedTable): Promise<Record<string, SqlValue>[]> =>
  reader.all(`select ${table.columns.map(quoted).join(", ")} from ${quoted(table.name)}`);

/** Inserts the row, or on its key sets every column but the local ones. */
export function upsertCopiedRowStatement(table: CopiedTable, row: Record<string, SqlValue>): Statement {
  const updated = table.columns.filter((column) => !table.key.includes(column) && !table.local.has(column));
  const cleared = [...table.clearedWhen].map(
    ([column, condition]) => `${quoted(column)} = case when ${condition} then null else ${quoted(column)} end`,
  );
  const sets = [...updated.map((column) => `${quoted(column)} = excluded.${quoted(column)}`), ...cleared];
  const onConflict = sets.length === 0 ? "do nothing" : `do update set ${sets.join(", ")}`;
  return {
    sql: `insert into ${quoted(table.name)} (${table.columns.map(quoted).join(", ")}) values (${table.columns
      .map(() => "?")
      .join(", ")}) on conflict (${table.key.map(quoted).join(", ")}) ${onConflict}`,
    args: table.columns.map((column) => row[column] ?? null),
  };
}

export const deleteCopiedRowStatement = (table: CopiedTable, row: Record<string, SqlValue>): Statement => ({
  sql: `delete from ${quoted(table.name)} where ${table.key.map((column) => `${quoted(column)} = ?`).join(" and ")}`,
  args: table.key.map((column) => row[column] ?? null),
});
