import type { SqlReader } from "../reader";
import { type promotionMembers, promotions } from "../schema";
import { type Nullable, projection, type RowOf, type SqlRow } from "./rows";

const promotion = projection(promotions);

/** The member's progress in a challenge; `group` quoted, since it is an SQL keyword. */
type ProgressRow = Nullable<
  Pick<SqlRow<typeof promotionMembers>, "group" | "challenge_earns" | "challenge_spend_minor" | "completed_at">
>;

/**
 * The program's challenge promotions in force at `at` (active, started, not ended), each with the member's progress
 * in it if the member was exposed, in the order the engine applies them: priority first, then the older.
 */
export async function listChallengesInForce(reader: SqlReader, programId: string, memberId: string, at: Date) {
  const rows = await reader.all<RowOf<typeof promotion> & ProgressRow>(
    `select ${promotion.select("p")}, pm."group", pm.challenge_earns, pm.challenge_spend_minor, pm.completed_at
     from promotions p left join promotion_members pm on pm.promotion_id = p.id and pm.member_id = ?
     where p.program_id = ? and p.status = 'active' and p.trigger = 'challenge'
       and p.starts_at <= ? and (p.ends_at is null or p.ends_at > ?)
     order by p.priority desc, p.created_at, p.id`,
    [memberId, programId, at.getTime(), at.getTime()],
  );
  return rows.map((row) => ({
    promotion: promotion.map(row),
    progress:
      row.group === null
        ? undefined
        : {
            group: row.group,
            earns: row.challenge_earns ?? 0,
            spendMinor: row.challenge_spend_minor ?? 0,
            completedAt: row.completed_at === null ? null : new Date(row.completed_at),
          },
  }));
}
