import type { SqlReader } from "../reader";
import type { memberTierChanges } from "../schema";

type TierChange = typeof memberTierChanges.$inferSelect;

/** How many members held a tier (null: none) at an instant, or were enrolled into it. */
export type TierCount = { tierKey: string | null; members: number };

/**
 * A member's tier just before instant `?2`: the `from_key` of its first tier change at or after it (each change
 * records the tier it left), else the tier it holds now. `m` is the member row.
 */
const tierBeforeSql = `
  case when first_change.member_id is null then m.tier_key else first_change.from_key end`;

/** Each member's first tier change at or after `?2`, of program `?1` (the index (program_id, at) serves it). */
const firstChangeSql = `
  left join (
    select c.member_id, c.from_key, row_number() over (partition by c.member_id order by c.at, c.id) as n
    from member_tier_changes c where c.program_id = ?1 and c.at >= ?2
  ) first_change on first_change.member_id = m.id and first_change.n = 1`;

const counts = (rows: { tier_key: string | null; members: number }[]): TierCount[] =>
  rows.map((row) => ({ tierKey: row.tier_key, members: row.members }));

/** How many of a program's members, enrolled before `at`, held each tier (or none) at that instant. */
export async function countMembersPerTierAt(reader: SqlReader, programId: string, at: Date): Promise<TierCount[]> {
  return counts(
    await reader.all(
      `select ${tierBeforeSql} as tier_key, count(*) as members
       from members m ${firstChangeSql}
       where m.program_id = ?1 and m.created_at < ?2
       group by 1`,
      [programId, at.getTime()],
    ),
  );
}

/**
 * How many of a program's members were enrolled in `[since, until)`, by the tier they were placed in (or none):
 * the tier before their first change, else the tier they hold now.
 */
export async function countEnrolmentsPerTier(
  reader: SqlReader,
  programId: string,
  range: { since: Date; until: Date },
): Promise<TierCount[]> {
  return counts(
    await reader.all(
      `select ${tierBeforeSql} as tier_key, count(*) as members
       from members m ${firstChangeSql}
       where m.program_id = ?1 and m.created_at >= ?2 and m.created_at < ?3
       group by 1`,
      [programId, range.since.getTime(), range.until.getTime()],
    ),
  );
}

/** The tier changes of a range with the same tiers and reason: how many, and how many members made them. */
export type TierMovement = Pick<TierChange, "fromKey" | "toKey" | "reason"> & { changes: number; members: number };

/** A program's tier changes in `[since, until)`, by the tiers left and reached and the reason. */
export async function countTierMovements(
  reader: SqlReader,
  programId: string,
  range: { since: Date; until: Date },
): Promise<TierMovement[]> {
  const rows = await reader.all<{
    from_key: string | null;
    to_key: string;
    reason: TierChange["reason"];
    changes: number;
    members: number;
  }>(
    `select from_key, to_key, reason, count(*) as changes, count(distinct member_id) as members
     from member_tier_changes where program_id = ? and at >= ? and at < ?
     group by from_key, to_key, reason`,
    [programId, range.since.getTime(), range.until.getTime()],
  );
  return rows.map((row) => ({
    fromKey: row.from_key,
    toKey: row.to_key,
    reason: row.reason,
    changes: row.changes,
    members: row.members,
  }));
}

/** How many of a program's members hold each tier (or none) now. */
export async function countMembersPerTierNow(reader: SqlReader, programId: string): Promise<TierCount[]> {
  return counts(
    await reader.all("select tier_key, count(*) as members from members where program_id = ? group by tier_key", [
      programId,
    ]),
  );
}
