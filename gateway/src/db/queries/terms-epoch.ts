import type { termsEpoch } from "../schema";
import type { SqlRow } from "./rows";

/**
 * The terms epoch (db/schema/terms-epoch.ts) as a column, read in the same statement as the rows beside it: equal
 * epochs mean rows remembered under it are still the database's.
 */
export const epochColumn = "(select epoch from terms_epoch) as terms_epoch";

export type Epoch = { terms_epoch: SqlRow<typeof termsEpoch>["epoch"] | null };
