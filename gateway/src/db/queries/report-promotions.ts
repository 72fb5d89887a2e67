import type { SqlReader } from "../reader";
import type { promotions } from "../schema";

type PromotionRow = typeof promotions.$inferSelect;

/** What the promotions report names of a promotion, besides its performance. */
export type ReportedPromotion = Pick<
  PromotionRow,
  | "id"
  | "name"
  | "status"
  | "trigger"
  | "campaignId"
  | "startsAt"
  | "endsAt"
  | "controlGroupBps"
  | "budgetPoints"
  | "pointsAwarded"
>;

/** Every promotion of a program, drafts and ended ones included, by start then id. */
export async function listProgramPromotions(reader: SqlReader, programId: string): Promise<ReportedPromotion[]> {
  const rows = await reader.all<{
    id: string;
    name: string;
    status: PromotionRow["status"];
    trigger: PromotionRow["trigger"];
    campaign_id: string | null;
    starts_at: number;
    ends_at: number | null;
    control_group_bps: number;
    budget_points: number | null;
    points_awarded: number;
  }>(
    `select id, name, status, trigger, campaign_id, starts_at, ends_at, control_group_bps, budget_points, points_awarded
     from promotions where program_id = ? order by starts_at, id`,
    [programId],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    status: row.status,
    trigger: row.trigger,
    campaignId: row.campaign_id,
    startsAt: new Date(row.starts_at),
    endsAt: row.ends_at === null ? null : new Date(row.ends_at),
    controlGroupBps: row.control_group_bps,
    budgetPoints: row.budget_points,
    pointsAwarded: row.points_awarded,
  }));
}

/** A promotion's awards (its bonus transactions), in all and in a range, gross of reversals. */
export type PromotionAwards = { awards: number; awardsInRange: number; pointsInRange: number };

/**
 * The awards of each promotion of a program: how many bonus transactions it paid ever, and how many and how many
 * points in `[since, until)`, gross (reversals of the earns behind them do not count back, as budgets do not).
 * Reads the index on (bonus_source_id, created_at) of bonuses.
 */
export async function countPromotionAwards(
  reader: SqlReader,
  programId: string,
  range: { since: Date; until: Date },
): Promise<Map<string, PromotionAwards>> {
  const rows = await reader.all<{ id: string; awards: number; awards_in_range: number; points_in_range: number }>(
    `select t.bonus_source_id as id, count(*) as awards,
            count(case when t.created_at >= ?2 and t.created_at < ?3 then 1 end) as awards_in_range,
            coalesce(sum(case when t.created_at >= ?2 and t.created_at < ?3 then t.points end), 0) as points_in_range
     from ledger_transactions t
     where t.bonus_source = 'promotion' and t.bonus_source_id in (select id from promotions where program_id = ?1)
     group by t.bonus_source_id`,
    [programId, range.since.getTime(), range.until.getTime()],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { awards: row.awards, awardsInRange: row.awards_in_range, pointsInRange: row.points_in_range },
    ]),
  );
}
