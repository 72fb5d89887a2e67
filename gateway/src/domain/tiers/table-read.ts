import { findTierTable } from "../../db/queries/tiers";
import type { SqlReader } from "../../db/reader";
import type { TierTable } from "./qualify";

/** The program's tier table, or undefined while it has none. */
export async function tierTableOf(reader: SqlReader, programId: string): Promise<TierTable | undefined> {
  const found = await findTierTable(reader, programId);
  if (!found || found.windowDays === null || found.tiers.length === 0) return undefined;
  return { windowDays: found.windowDays, version: found.version, updatedAt: found.updatedAt, tiers: found.tiers };
}

/** The tier tables earns last read, per reader (so per gateway), by program. */
const recent = new WeakMap<SqlReader, Map<string, TierTable>>();

/**
 * The program's tier table as an earn last read it, read now if none did. For writes that assert the table's
 * version (a changed table refuses them, and they plan again with `tierTableOf`, which refreshes this).
 */
export async function recentTierTable(reader: SqlReader, programId: string): Promise<TierTable | undefined> {
  return recent.get(reader)?.get(programId) ?? freshTierTable(reader, programId);
}

/** `tierTableOf`, remembered for `recentTierTable`. */
export async function freshTierTable(reader: SqlReader, programId: string): Promise<TierTable | undefined> {
  const table = await tierTableOf(reader, programId);
  let tables = recent.get(reader);
  if (!tables) {
    tables = new Map();
    recent.set(reader, tables);
  }
  if (table) tables.set(programId, table);
  else tables.delete(programId);
  return table;
}
