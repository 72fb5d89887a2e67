import { sql } from "drizzle-orm";
import { check, integer, sqliteTable } from "drizzle-orm/sqlite-core";

/**
 * One row whose `epoch` moves on with every insert, update or delete of programs, agreements and program velocity
 * rules (migration 0019), and of credentials and partners where their standing changes (migration 0022: revocation,
 * partner, status, request limit), by triggers in the same transaction as the change: to the current time in milliseconds,
 * or one more than before if that is not larger, so a value never comes back even after a database is restored to an
 * earlier state under a running process. The hot routes keep those rows (a
 * program's terms) in memory under the epoch they were read at, and read the epoch with the member: equal epochs mean
 * the remembered terms are the database's, whichever process or isolate changed them. The same read confirms a
 * credential's standing the hot routes took from memory (http/auth.ts).
 */
export const termsEpoch = sqliteTable(
  "terms_epoch",
  {
    id: integer("id").primaryKey(),
    epoch: integer("epoch").notNull(),
  },
  (t) => [check("terms_epoch_one_row", sql`${t.id} = 1`)],
);
