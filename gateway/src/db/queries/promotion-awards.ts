/**
 * What the promotions engine reads before an earn (or enrolment, activity) and the statements it adds to that
 * write: exposures and per-member totals (`promotion_members`), the budget used (`promotions.points_awarded`), and
 * the assertions that the facts it planned on still hold when the write runs.
 */
import type { SqlReader } from "../reader";
import { type promotionMembers, promotions } from "../schema";
import type { Statement } from "../writer";
import { assertStatement } from "./assertions";
import { projection, type SqlRow } from "./rows";
import type { MemberCondition } from "./segments";

const promotion = projection(promotions, { prefix: "r_" });

/** The CHECK keeping a promotion's `points_awarded` within its budget. */
export const withinBudgetCheck = "promotions_within_budget";
/** The CHECK refusing a second one-off award (challenge, referral, enrolment) to a member. */
export const onceCheck = "promotion_members_once";

/**
 * The program's `active` promotions (whatever their dates: the evaluation reads those) with the program's
 * `promotions_version`, read in one statement so the version is the one of this very set.
 */
export async function findActivePromotions(reader: SqlReader, programId: string) {
  const rows = await reader.all<{ version: number } & Parameters<typeof promotion.mapJoined>[0]>(
    `select p.promotions_version as version, ${promotion.select("r")}
     from programs p left join promotions r on r.program_id = p.id and r.status = 'active'
     where p.id = ?`,
    [programId],
  );
  return {
    version: rows[0]?.version ?? 0,
    rows: rows.flatMap((row) => {
      const found = promotion.mapJoined(row);
      return found ? [found] : [];
    }),
  };
}

export type StandingRow = Pick<
  SqlRow<typeof promotionMembers>,
  | "promotion_id"
  | "member_id"
  | "points_awarded"
  | "awards"
  | "challenge_earns"
  | "challenge_spend_minor"
  | "once_awarded"
>;

/** The columns of a `promotion_members` row, in the order `standingsColumn` packs them. */
const standingFields = [
  "promotion_id",
  "member_id",
  "points_awarded",
  "awards",
  "challenge_earns",
  "challenge_spend_minor",
  "once_awarded",
] as const satisfies readonly (keyof StandingRow)[];

/**
 * The `promotion_members` rows of these members (one per promotion each ever met) as one JSON column, read beside
 * the member's segment conditions (`memberColumns`) so an earn reads both in one statement; `standingsFrom` unpacks
 * it. By member alone: a plain index look-up.
 */
export const standingsColumn = (memberIds: readonly string[]): MemberCondition => ({
  sql: `(select json_group_array(json_array(${standingFields.join(", ")})) from promotion_members
         where member_id in (${memberIds.map(() => "?").join(", ")}))`,
  args: [...memberIds],
});

/** The rows packed by `standingsColumn` that belong to these promotions (absent: never exposed). */
export function standingsFrom(column: unknown, promotionIds: readonly string[]): StandingRow[] {
  const wanted = new Set(promotionIds);
  const packed = typeof column === "string" ? (JSON.parse(column) as unknown[][]) : [];
  return packed
    .map((values) => Object.fromEntries(standingFields.map((field, i) => [field, values[i]])) as StandingRow)
    .filter((row) => wanted.has(row.promotion_id));
}

/** Whether the member (`m`) has earned before, as a column over its row: a referral pays on the first earn. */
export const earnedBeforeColumn: MemberCondition = {
  sql: "exists (select 1 from ledger_transactions t where t.member_id = m.id and t.type = 'earn')",
  args: [],
};

/** Whether the member (`m`)'s referrer was erased: an erased member earns nothing, a referral's share included. */
export const referrerErasedColumn: MemberCondition = {
  sql: "exists (select 1 from members r where r.id = m.referred_by_member_id and r.erased_at is not null)",
  args: [],
};

/** What one event adds to a member's row of a promotion; the row is created at the first (the exposure). */
export type StandingChange = {
  promotionId: string;
  memberId: string;
  group: "treatment" | "control";
  at: Date;
  points: number;
  awards: number;
  challengeEarns: number;
  challengeSpendMinor: number;
  once: boolean;
};

/** D1 binds at most 100 arguments to a statement: 10 rows of 10. */
const standingsPerStatement = 10;

/**
 * Exposes each member (the row, with its group and `exposed_at`, when there is none yet) and adds the event's
 * points, awards and challenge progress to it, many rows per statement. A one-off adds 1 to `once_awarded`, whose
 * CHECK refuses a second; it also records `completed_at`.
 */
export function upsertStandingsStatements(changes: readonly StandingChange[]): Statement[] {
  const statements: Statement[] = [];
  for (let start = 0; start < changes.length; start += standingsPerStatement) {
    const chunk = changes.slice(start, start + standingsPerStatement);
    statements.push({
      sql: `insert into promotion_members (promotion_id, member_id, "group", exposed_at, points_awarded, awards,
              challenge_earns, challenge_spend_minor, once_awarded, completed_at)
            values ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
            on conflict (promotion_id, member_id) do update set
              points_awarded = points_awarded + excluded.points_awarded,
              awards = awards + excluded.awards,
              challenge_earns = challenge_earns + excluded.challenge_earns,
              challenge_spend_minor = challenge_spend_minor + excluded.challenge_spend_minor,
              once_awarded = once_awarded + excluded.once_awarded,
              completed_at = coalesce(completed_at, excluded.completed_at)`,
      args: chunk.flatMap((change) => [
        change.promotionId,
        change.memberId,
        change.group,
        change.at.getTime(),
        change.points,
        change.awards,
        change.challengeEarns,
        change.challengeSpendMinor,
        change.once ? 1 : 0,
        change.once ? change.at.getTime() : null,
      ]),
    });
  }
  return statements;
}

/**
 * Refuses the write unless the member's row is within the promotion's member limits as they are when it runs: an
 * award planned on totals read before (or on none, optimistically) that a concurrent award overtook.
 */
export const assertWithinMemberLimits = (promotionId: string, memberId: string): Statement =>
  assertStatement(
    `exists (select 1 from promotion_members pm join promotions p on p.id = pm.promotion_id
             where pm.promotion_id = ? and pm.member_id = ?
               and (p.max_points_per_member is null or pm.points_awarded <= p.max_points_per_member)
               and (p.max_awards_per_member is null or pm.awards <= p.max_awards_per_member))`,
    [promotionId, memberId],
  );

/**
 * Refuses the write unless the member's challenge, after its update, is paid (`once_awarded`) or short of its target
 * (`earns`, `spend_minor`; absent: not asked): a step planned not to complete it that concurrent earns of the member
 * took to the target is planned again, and pays. Other concurrent earns pass, so a busy member is not re-planned.
 */
export const assertChallengePaidOrUnreached = (
  promotionId: string,
  memberId: string,
  target: { earns?: number; spend_minor?: number },
): Statement =>
  assertStatement(
    `exists (select 1 from promotion_members where promotion_id = ?1 and member_id = ?2
             and (once_awarded = 1
                  or not (coalesce(challenge_earns >= ?3, 0) or coalesce(challenge_spend_minor >= ?4, 0))))`,
    [promotionId, memberId, target.earns ?? null, target.spend_minor ?? null],
  );

/** What an event's awards add to one promotion's budget used; `exhaustedAt` when they were planned to reach it. */
export type BudgetUse = { promotionId: string; points: number; exhaustedAt: Date | null };

/** D1 binds at most 100 arguments to a statement: 50 promotions of 2. */
const budgetUsesPerStatement = 50;

/**
 * Adds an event's awards to their promotions' `points_awarded`, which a CHECK keeps within each budget. The award
 * planned to reach a budget exactly records when (`exhaustedAt`); any other award that would reach it (planned on
 * a budget used as read before) is written as one point past the budget, so the CHECK refuses the write and it is
 * planned again: only the write that planned to reach the budget does, and sends its event, once. No assertion
 * beside the update, and the promotions not reaching their budget in one statement: an earn pays several.
 */
export function addToPointsAwardedStatements(uses: readonly BudgetUse[]): Statement[] {
  const statements: Statement[] = uses.flatMap(({ promotionId, points, exhaustedAt }) =>
    exhaustedAt
      ? [
          {
            sql: "update promotions set points_awarded = points_awarded + ?, budget_exhausted_at = coalesce(budget_exhausted_at, ?) where id = ?",
            args: [points, exhaustedAt.getTime(), promotionId],
          },
        ]
      : [],
  );
  const within = uses.filter((use) => !use.exhaustedAt);
  for (let start = 0; start < within.length; start += budgetUsesPerStatement) {
    const chunk = within.slice(start, start + budgetUsesPerStatement);
    statements.push({
      sql: `update promotions set points_awarded = case
                when promotions.points_awarded + a.points >= promotions.budget_points then promotions.budget_points + 1
                else promotions.points_awarded + a.points end
            from (select column1 as id, column2 as points from (values ${chunk.map(() => "(?, ?)").join(", ")})) a
            where promotions.id = a.id`,
      args: chunk.flatMap((use) => [use.promotionId, use.points]),
    });
  }
  return statements;
}

/** Refuses the write unless the program's promotions are still the set (`promotions_version`) it was planned on. */
export const assertPromotionsVersion = (programId: string, version: number): Statement =>
  assertStatement("(select promotions_version from programs where id = ?) = ?", [programId, version]);

/** Refuses the write unless the member's only earn is this write's: a referral pays on the first earn alone. */
export const assertFirstEarn = (memberId: string): Statement =>
  assertStatement("(select count(*) from ledger_transactions where member_id = ? and type = 'earn') = 1", [memberId]);
