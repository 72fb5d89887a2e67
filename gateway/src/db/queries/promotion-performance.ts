import type { SqlReader } from "../reader";
import type { SqlValue } from "../writer";
import type { MemberCondition } from "./segments";

/**
 * What a promotion's and a campaign's performance read, in plain SQL: each exposed group's earns and spend since
 * exposure, the awards per day, and a campaign's targeted members and responders.
 */

/** One group of one promotion: its members, their earns and spend, and the sum of each member's spend squared. */
export type GroupTotals = {
  promotionId: string;
  group: "treatment" | "control";
  members: number;
  earns: number;
  spendMinor: number;
  spendSquares: number;
};

type GroupRow = {
  promotion_id: string;
  grp: "treatment" | "control";
  members: number;
  earns: number;
  spend_minor: number;
  spend_squares: number;
};

/** Whose groups to total: one promotion's, or those of every promotion of a campaign or of a program. */
export type PromotionScope = { promotionId: string } | { campaignId: string } | { programId: string };

const scopeCondition = (scope: PromotionScope): { sql: string; args: SqlValue[] } => {
  if ("promotionId" in scope) return { sql: "pm.promotion_id = ?", args: [scope.promotionId] };
  if ("campaignId" in scope)
    return { sql: "pm.promotion_id in (select id from promotions where campaign_id = ?)", args: [scope.campaignId] };
  return { sql: "pm.promotion_id in (select id from promotions where program_id = ?)", args: [scope.programId] };
};

/**
 * Each exposed group's totals: every member of the group (those who earned nothing count with 0), its earn
 * transactions from its own exposure (inclusive) to the promotion's end (exclusive; all of them while open), gross
 * (reversals not subtracted), and spend as the purchase amounts of those earns. A member's earns are read from the
 * earn index on (member, created_at, ..., purchase amount) alone (counted by created_at, never null, so the table
 * is not visited); the squares are summed as doubles (total()), which never overflow.
 */
export async function sumPromotionGroups(reader: SqlReader, scope: PromotionScope): Promise<GroupTotals[]> {
  const where = scopeCondition(scope);
  const rows = await reader.all<GroupRow>(
    `select s.promotion_id, s.grp, count(*) as members, sum(s.earns) as earns, sum(s.spend) as spend_minor,
            total(cast(s.spend as real) * s.spend) as spend_squares
     from (
       select pm.promotion_id, pm.member_id, pm."group" as grp, count(t.created_at) as earns,
              coalesce(sum(t.purchase_amount_minor), 0) as spend
       from promotion_members pm
       join promotions p on p.id = pm.promotion_id
       left join ledger_transactions t
         on t.member_id = pm.member_id and t.type = 'earn'
        and t.created_at >= pm.exposed_at and (p.ends_at is null or t.created_at < p.ends_at)
       where ${where.sql}
       group by pm.promotion_id, pm.member_id, pm."group"
     ) s
     group by s.promotion_id, s.grp
     order by s.promotion_id, s.grp`,
    where.args,
  );
  return rows.map((row) => ({
    promotionId: row.promotion_id,
    group: row.grp,
    members: row.members,
    earns: row.earns,
    spendMinor: row.spend_minor,
    spendSquares: row.spend_squares,
  }));
}

/** Points a promotion awarded on one UTC day (`YYYY-MM-DD`). */
export type DayAwards = { day: string; points: number };

/** A promotion's bonus points per UTC day, gross (reversals not subtracted), only the days that had any. */
export async function listDailyAwards(reader: SqlReader, promotionId: string): Promise<DayAwards[]> {
  return reader.all<DayAwards>(
    `select date(created_at / 1000, 'unixepoch') as day, sum(points) as points from ledger_transactions
     where bonus_source_id = ? and bonus_source = 'promotion' and type = 'bonus'
     group by 1 order by 1`,
    [promotionId],
  );
}

/** A promotion of a campaign as its performance lists it. */
export type CampaignPromotion = { id: string; name: string; status: string; pointsAwarded: number };

/** A campaign's promotions with the points each awarded (gross), oldest first. */
export async function listCampaignPromotions(reader: SqlReader, campaignId: string): Promise<CampaignPromotion[]> {
  const rows = await reader.all<{ id: string; name: string; status: string; points_awarded: number }>(
    "select id, name, status, points_awarded from promotions where campaign_id = ? order by id",
    [campaignId],
  );
  return rows.map((row) => ({ id: row.id, name: row.name, status: row.status, pointsAwarded: row.points_awarded }));
}

/**
 * The members of the program meeting any of `targets` (a campaign's segments, as conditions over `m`) now, and how
 * many of them have an earn in `[since, until)` (from `since` on when `until` is null); with no window, nobody
 * responded.
 */
export async function countTargetedAndResponders(
  reader: SqlReader,
  programId: string,
  targets: readonly MemberCondition[],
  window: { since: Date; until: Date | null } | null,
): Promise<{ targeted: number; responders: number }> {
  if (targets.length === 0) return { targeted: 0, responders: 0 };
  const responded = window
    ? `exists (select 1 from ledger_transactions t where t.member_id = m.id and t.type = 'earn'
               and t.created_at >= ? and (? is null or t.created_at < ?))`
    : "0";
  const rows = await reader.all<{ targeted: number; responders: number | null }>(
    `select count(*) as targeted, sum(${responded}) as responders from members m
     where m.program_id = ? and (${targets.map((target) => `(${target.sql})`).join(" or ")})`,
    [
      ...(window ? [window.since.getTime(), window.until?.getTime() ?? null, window.until?.getTime() ?? null] : []),
      programId,
      ...targets.flatMap((target) => target.args),
    ],
  );
  return { targeted: rows[0]?.targeted ?? 0, responders: rows[0]?.responders ?? 0 };
}
