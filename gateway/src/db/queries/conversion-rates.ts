import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { conversionRates } from "../schema";
import { fromSqlRow, type SqlRow } from "./rows";

export type ConversionRate = typeof conversionRates.$inferSelect;

export async function insertConversionRate(db: Db, rate: ConversionRate): Promise<void> {
  await db.insert(conversionRates).values(rate);
}

/**
 * The pair's newest rate that has started by `at` (whether or not it has ended since): plain SQL, as every
 * quote reads it.
 */
export async function findNewestStartedRate(
  reader: SqlReader,
  fromProgramId: string,
  toProgramId: string,
  at: Date,
): Promise<ConversionRate | undefined> {
  const row = await first<SqlRow<typeof conversionRates>>(
    reader,
    `select * from conversion_rates where from_program_id = ? and to_program_id = ? and valid_from <= ?
     order by valid_from desc, id desc limit 1`,
    [fromProgramId, toProgramId, at.getTime()],
  );
  return row && fromSqlRow(conversionRates, row);
}

/** At most `limit` rates, newest `valid_from` first, narrowed to a source and/or destination program. */
export async function listConversionRates(
  db: Db,
  filters: { fromProgramId?: string; toProgramId?: string },
  limit: number,
): Promise<ConversionRate[]> {
  return db
    .select()
    .from(conversionRates)
    .where(
      and(
        filters.fromProgramId ? eq(conversionRates.fromProgramId, filters.fromProgramId) : undefined,
        filters.toProgramId ? eq(conversionRates.toProgramId, filters.toProgramId) : undefined,
      ),
    )
    .orderBy(desc(conversionRates.validFrom), desc(conversionRates.id))
    .limit(limit);
}
