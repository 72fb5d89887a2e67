import { findTierTable } from "../../db/queries/tiers";
import type { SqlReader } from "../../db/reader";
import type { TierTable } from "./qualify";

/** The program's tier table, or undefined while it has none. */
export async function tierTableOf(reader: SqlReader, programId: string): Promise<TierTable | undefined> {
  const found = await findTierTable(reader, programId);
  if (!found || found.windowDays === null || found.tiers.length === 0) return undefined;
  return { windowDays: found.windowDays, version: found.version, updatedAt: found.updatedAt, tiers: found.tiers };
}
