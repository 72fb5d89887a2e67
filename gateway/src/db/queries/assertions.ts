import type { SqlValue, Statement } from "../writer";

/**
 * A statement that refuses the whole atomic write (CHECK `write_assertion_failed`) unless `condition` holds when
 * it runs: how a write planned on facts read before it (a member's tier, say) makes sure they still hold, so a
 * concurrent change makes it fail and be planned again rather than commit on stale facts.
 */
export const assertStatement = (condition: string, args: SqlValue[]): Statement => ({
  sql: `insert into write_assertions (failed) select 'failed' where not (${condition})`,
  args,
});

/** The constraint an `assertStatement` fails with. */
export const assertionConstraint = "write_assertion_failed";
