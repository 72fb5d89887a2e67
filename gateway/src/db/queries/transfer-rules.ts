import { first, type SqlReader } from "../reader";
import { transferRules } from "../schema";
import type { Statement } from "../writer";
import { assertStatement } from "./assertions";
import { fromSqlRow, type SqlRow } from "./rows";

type TransferRulesRow = typeof transferRules.$inferSelect;

/** A program's transfer rules as its owner last set them; undefined while it never did (the defaults apply). */
export async function findTransferRules(reader: SqlReader, programId: string): Promise<TransferRulesRow | undefined> {
  const row = await first<SqlRow<typeof transferRules>>(reader, "select * from transfer_rules where program_id = ?", [
    programId,
  ]);
  return row && fromSqlRow(transferRules, row);
}

/** Replaces a program's transfer rules (PUT semantics: the whole row). */
export const saveTransferRulesStatement = (rules: TransferRulesRow): Statement => ({
  sql: `insert into transfer_rules (program_id, enabled, min_points, max_points_per_member_per_month, fee_bps,
          min_membership_days, updated_at)
        values (?, ?, ?, ?, ?, ?, ?)
        on conflict (program_id) do update set enabled = excluded.enabled, min_points = excluded.min_points,
          max_points_per_member_per_month = excluded.max_points_per_member_per_month, fee_bps = excluded.fee_bps,
          min_membership_days = excluded.min_membership_days, updated_at = excluded.updated_at`,
  args: [
    rules.programId,
    rules.enabled ? 1 : 0,
    rules.minPoints,
    rules.maxPointsPerMemberPerMonth,
    rules.feeBps,
    rules.minMembershipDays,
    rules.updatedAt.getTime(),
  ],
});

/**
 * Refuses a transfer's write (a stale write, planned again) unless the program's rules are still, at commit, the
 * enabled rules it was planned on: a PUT between the read and the write (disabling transfers, raising the fee)
 * cannot let a transfer through under the rules it replaced.
 */
export const rulesStillInForce = (rules: Omit<TransferRulesRow, "updatedAt">): Statement =>
  assertStatement(
    `exists (select 1 from transfer_rules where program_id = ? and enabled = 1 and min_points = ?
               and max_points_per_member_per_month is ? and fee_bps = ? and min_membership_days = ?)`,
    [rules.programId, rules.minPoints, rules.maxPointsPerMemberPerMonth, rules.feeBps, rules.minMembershipDays],
  );
