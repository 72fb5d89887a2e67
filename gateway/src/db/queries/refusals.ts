import { refusalReasons } from "../schema";
import type { ConstraintViolation, SqlValue, Statement } from "../writer";

export type RefusalReason = (typeof refusalReasons)[number];

/**
 * A statement that refuses the whole atomic write with `reason` unless `condition` holds when it runs: for facts
 * the write itself decides (stock left, a member's limit, an order's status), which a concurrent write may change
 * between a read and the write. The CHECK `refused_<reason>` fails; `refusalOf` reads the reason back so the domain
 * can answer its problem. `condition` may use only positional `?` arguments.
 */
export const refusalStatement = (reason: RefusalReason, condition: string, args: SqlValue[]): Statement => ({
  sql: `insert into write_refusals (refused) select '${reason}' where not (${condition})`,
  args,
});

/** The reason a write refused itself, from the CHECK it failed (undefined for any other violation). */
export function refusalOf(violation: ConstraintViolation): RefusalReason | undefined {
  return refusalReasons.find((reason) => violation.constraint === `refused_${reason}`);
}
