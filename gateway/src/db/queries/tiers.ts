import { count, eq } from "drizzle-orm";
import type { Db } from "../client";
import type { SqlReader } from "../reader";
import { members, type memberTierChanges, programTiers } from "../schema";
import type { SqlValue, Statement } from "../writer";
import { assertStatement } from "./assertions";
import { fromSqlRow, type SqlRow, selectList } from "./rows";

type Tier = typeof programTiers.$inferSelect;
type TierChange = typeof memberTierChanges.$inferSelect;

/** A member's qualifying activity in a window: points earned net of reversals, earns not fully reversed, spend. */
export type Activity = { points: number; purchases: number; spendMinor: number };

/**
 * The qualifying activity of earns (never bonuses, conversions or transfers) made after `since`, net of their
 * reversals: a partly reversed earn counts its points and its spend in proportion (rounded down), and a fully
 * reversed one counts nothing. Reads only the `ledger_transactions_member_qualifying` index.
 */
const activityColumns = (t: string) => `
  coalesce(sum(${t}.points - ${t}.reversed_points), 0) as points,
  count(case when ${t}.reversed_points < ${t}.points then 1 end) as purchases,
  coalesce(sum(case when ${t}.reversed_points = 0 then coalesce(${t}.purchase_amount_minor, 0)
    else coalesce(${t}.purchase_amount_minor, 0) * (${t}.points - ${t}.reversed_points) / ${t}.points end), 0) as spend`;

/**
 * The position of the highest tier of `programSql` any one of whose minimums the activity in `a` meets (0: the
 * entry tier); `a` has the columns of `activityColumns`, null where a member has no activity.
 */
const qualifyingPositionSql = (programSql: string, a: string) => `
  (select coalesce(max(q.position), 0) from program_tiers q
   where q.program_id = ${programSql}
     and (q.min_points <= coalesce(${a}.points, 0) or q.min_purchases <= coalesce(${a}.purchases, 0)
          or q.min_spend_minor <= coalesce(${a}.spend, 0)))`;

type TableRow = { tier_window_days: number | null; tier_table_version: number; tiers_updated_at: number | null } & {
  [K in keyof SqlRow<typeof programTiers>]: SqlRow<typeof programTiers>[K] | null;
};

/** A program's tier settings and its tiers, lowest first (none while it has no tier table). */
export async function findTierTable(reader: SqlReader, programId: string) {
  const rows = await reader.all<TableRow>(
    `select p.tier_window_days, p.tier_table_version, p.tiers_updated_at, ${selectList(programTiers, "t")}
     from programs p left join program_tiers t on t.program_id = p.id
     where p.id = ? order by t.position`,
    [programId],
  );
  const first = rows[0];
  if (!first) return undefined;
  return {
    windowDays: first.tier_window_days,
    version: first.tier_table_version,
    updatedAt: first.tiers_updated_at === null ? null : new Date(first.tiers_updated_at),
    tiers: rows
      .filter((row) => row.key !== null)
      .map((row) => fromSqlRow(programTiers, row as SqlRow<typeof programTiers>)),
  };
}

/** A member's tier and its activity after `since`. */
export async function findMemberTierState(reader: SqlReader, memberId: string, since: Date) {
  const [row] = await reader.all<{ tier_key: string | null; points: number; purchases: number; spend: number }>(
    `select m.tier_key, a.points, a.purchases, a.spend
     from members m,
       (select ${activityColumns("t")} from ledger_transactions t
        where t.member_id = ?1 and t.type = 'earn' and t.created_at > ?2) a
     where m.id = ?1`,
    [memberId, since.getTime()],
  );
  if (!row) return undefined;
  return {
    tierKey: row.tier_key,
    activity: { points: row.points, purchases: row.purchases, spendMinor: row.spend } satisfies Activity,
  };
}

/** Whether the member was ever paid the upgrade bonus of tier `tierKey`. */
export async function wasUpgradeBonusPaid(reader: SqlReader, memberId: string, tierKey: string): Promise<boolean> {
  const rows = await reader.all(
    "select 1 from ledger_transactions where member_id = ? and bonus_source = 'tier_upgrade' and bonus_source_id = ?",
    [memberId, tierKey],
  );
  return rows.length > 0;
}

/** The activity after `since` of each of `memberIds` (members without any have none in the map). */
export async function findActivities(reader: SqlReader, memberIds: readonly string[], since: Date) {
  if (memberIds.length === 0) return new Map<string, Activity>();
  const rows = await reader.all<{ member_id: string; points: number; purchases: number; spend: number }>(
    `select t.member_id, ${activityColumns("t")} from ledger_transactions t
     where t.member_id in (select value from json_each(?)) and t.type = 'earn' and t.created_at > ?
     group by t.member_id`,
    // One JSON argument for the ids: D1 binds at most 100 arguments to a statement.
    [JSON.stringify(memberIds), since.getTime()],
  );
  return new Map(
    rows.map((row) => [row.member_id, { points: row.points, purchases: row.purchases, spendMinor: row.spend }]),
  );
}

/**
 * Refuses an earn's write unless what it was planned on still holds: the member's tier and the tier table, and
 * the tier its activity qualifies for (this earn included) leading to the same `target`, so a concurrent earn,
 * reversal, manual tier or table change makes it plan again.
 */
export function assertTierPlan(plan: {
  programId: string;
  memberId: string;
  tableVersion: number;
  tierKey: string | null;
  heldPosition: number;
  targetPosition: number;
  since: Date;
}): Statement {
  return assertStatement(
    `(select tier_table_version from programs where id = ?1) = ?2
     and (select tier_key from members where id = ?3) is ?4
     and max(?5, (select ${qualifyingPositionSql("?1", "a")} from
       (select ${activityColumns("t")} from ledger_transactions t
        where t.member_id = ?3 and t.type = 'earn' and t.created_at > ?6) a)) = ?7`,
    [
      plan.programId,
      plan.tableVersion,
      plan.memberId,
      plan.tierKey,
      plan.heldPosition,
      plan.since.getTime(),
      plan.targetPosition,
    ],
  );
}

/** A row of a member's tier history. */
export const insertTierChangeStatement = (change: TierChange): Statement => ({
  sql: `insert into member_tier_changes (id, program_id, member_id, from_key, to_key, reason, note, actor, at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    change.id,
    change.programId,
    change.memberId,
    change.fromKey,
    change.toKey,
    change.reason,
    change.note,
    change.actor,
    change.at.getTime(),
  ],
});

/** Moves one member to a tier and records the change in its tier history. */
export function setMemberTierStatements(change: TierChange, heldUntil: Date | null): Statement[] {
  return [
    {
      sql: "update members set tier_key = ?, tier_since = ?, tier_held_until = ? where id = ?",
      args: [change.toKey, change.at.getTime(), heldUntil?.getTime() ?? null, change.memberId],
    },
    insertTierChangeStatement(change),
  ];
}

/** Replaces a program's tier table (lowest first) and its window, bumping the table's version. */
export function replaceTierTableStatements(
  programId: string,
  windowDays: number | null,
  tiers: Omit<Tier, "programId" | "position">[],
  now: Date,
): Statement[] {
  return [
    { sql: "delete from program_tiers where program_id = ?", args: [programId] },
    ...tiers.map((tier, position) => ({
      sql: `insert into program_tiers (program_id, key, position, name, min_points, min_purchases, min_spend_minor,
              earn_bonus_bps, upgrade_bonus_points) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        programId,
        tier.key,
        position,
        tier.name,
        tier.minPoints,
        tier.minPurchases,
        tier.minSpendMinor,
        tier.earnBonusBps,
        tier.upgradeBonusPoints,
      ] as SqlValue[],
    })),
    {
      sql: `update programs set tier_window_days = ?, tier_table_version = tier_table_version + 1, tiers_updated_at = ?
            where id = ?`,
      args: [windowDays, now.getTime(), programId],
    },
  ];
}

/**
 * Re-places members of a program by the tier table as the write leaves it, in a few set-based statements: each
 * member goes to the tier its activity after `since` qualifies for, except that a member still holding a tier
 * (`tier_held_until` after `now`) keeps at least that tier. `onlyHoldEnded` limits it to members whose hold has
 * ended (the daily re-evaluation); otherwise every member is re-placed (a new tier table). A member whose tier is
 * no longer in the table is placed as if it held none. Each move is a history row with id `batch` + a sequence
 * number, a `member.tier_changed` event per recipient (the program's owner and the member's enrolling partner;
 * none for a first placement in the entry tier) and the events' deliveries. Moving up pays no upgrade bonus.
 */
export function replaceMembersStatements(input: {
  programId: string;
  ownerPartnerId: string;
  batch: string;
  eventIdPrefix: string;
  now: Date;
  since: Date;
  windowDays: number;
  onlyHoldEnded: boolean;
}): Statement[] {
  const now = input.now.getTime();
  const changeIds = { from: input.batch, to: `${input.batch}~` };
  const eventIds = { from: input.eventIdPrefix, to: `${input.eventIdPrefix}~` };
  const placement = `
    with candidates as (
      select m.id, m.tier_key, m.tier_held_until, cur.position as cur_position from members m
      left join program_tiers cur on cur.program_id = m.program_id and cur.key = m.tier_key
      where m.program_id = ?1 ${input.onlyHoldEnded ? "and m.tier_held_until <= ?2" : ""}
    ),
    activity as (
      select t.member_id, ${activityColumns("t")} from ledger_transactions t
      where t.member_id in (select id from candidates) and t.type = 'earn' and t.created_at > ?3
      group by t.member_id
    ),
    placed as (
      select c.id as member_id, c.tier_key as from_key,
        case when c.cur_position is not null and c.tier_held_until > ?2
          then max(c.cur_position, ${qualifyingPositionSql("?1", "a")})
          else ${qualifyingPositionSql("?1", "a")} end as position
      from candidates c left join activity a on a.member_id = c.id
    )`;
  return [
    {
      sql: `insert into member_tier_changes (id, program_id, member_id, from_key, to_key, reason, at)
            ${placement}
            select ?4 || printf('%08d', row_number() over (order by p.member_id)), ?1, p.member_id, p.from_key, t.key,
              'requalified', ?2
            from placed p join program_tiers t on t.program_id = ?1 and t.position = p.position
            where t.key is not p.from_key`,
      args: [input.programId, now, input.since.getTime(), input.batch],
    },
    {
      sql: `update members set tier_key = c.to_key, tier_since = c.at,
              tier_held_until = case when t.position > 0 then ?3 end
            from member_tier_changes c join program_tiers t on t.program_id = c.program_id and t.key = c.to_key
            where c.id > ?1 and c.id < ?2 and c.member_id = members.id`,
      args: [changeIds.from, changeIds.to, now + input.windowDays * 86_400_000],
    },
    // One event for the program's owner and one for the member's enrolling partner, if that is another.
    ...(["owner", "enrolling"] as const).map((recipient) => ({
      sql: `insert into events (id, partner_id, type, payload, created_at, fanned_out_at)
            select ?3 || substr(c.id, length(?1) + 1) || ?6, ${recipient === "owner" ? "?5" : "m.enrolled_by"},
              'member.tier_changed',
              json_object('type', 'member.tier_changed', 'timestamp', ?4,
                'data', json_object('program_id', c.program_id, 'external_id', m.external_id,
                  'from', c.from_key, 'to', c.to_key, 'reason', c.reason)),
              c.at, c.at
            from member_tier_changes c join members m on m.id = c.member_id
            join program_tiers t on t.program_id = c.program_id and t.key = c.to_key
            where c.id > ?1 and c.id < ?2 and (c.from_key is not null or t.position > 0)
              ${recipient === "owner" ? "" : "and m.enrolled_by <> ?5"}`,
      args: [
        changeIds.from,
        changeIds.to,
        input.eventIdPrefix,
        input.now.toISOString(),
        input.ownerPartnerId,
        recipient === "owner" ? "a" : "b",
      ],
    })),
    {
      sql: `insert into webhook_deliveries (event_id, endpoint_id, partner_id, status, attempts, next_attempt_at, created_at)
            select e.id, w.id, w.partner_id, 'pending', 0, e.created_at, e.created_at
            from events e join webhook_endpoints w on w.partner_id = e.partner_id
            where e.id > ?1 and e.id < ?2 and w.status = 'enabled' and w.deleted_at is null
              and exists (select 1 from json_each(w.event_types) t where t.value = e.type)
            on conflict do nothing`,
      args: [eventIds.from, eventIds.to],
    },
    {
      sql: "select count(*) as moved from member_tier_changes where id > ?1 and id < ?2",
      args: [changeIds.from, changeIds.to],
    },
  ];
}

/** How many members of a program hold each tier key. */
export async function countMembersPerTier(db: Db, programId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ key: members.tierKey, members: count() })
    .from(members)
    .where(eq(members.programId, programId))
    .groupBy(members.tierKey);
  return new Map(rows.filter((row) => row.key !== null).map((row) => [row.key as string, row.members]));
}

/** The programs with a tier table, with their owners and windows: the daily re-evaluation's work list. */
export async function listTieredPrograms(reader: SqlReader) {
  const rows = await reader.all<{ id: string; partner_id: string; tier_window_days: number }>(
    "select id, partner_id, tier_window_days from programs where tier_window_days is not null",
  );
  return rows.map((row) => ({ id: row.id, ownerPartnerId: row.partner_id, windowDays: row.tier_window_days }));
}

/** Takes every member of a program out of tiers (its tier table was removed); their history stays. */
export const clearMembersTiersStatement = (programId: string): Statement => ({
  sql: "update members set tier_key = null, tier_since = null, tier_held_until = null where program_id = ?",
  args: [programId],
});

/** Refuses a write planned on a tier table that has changed since (a `StaleWrite`). */
export const assertTierTableVersion = (programId: string, version: number): Statement =>
  assertStatement("(select tier_table_version from programs where id = ?) = ?", [programId, version]);

/** Keeps a member in its tier until a new date (a manual tier set again on the same tier). */
export const holdMemberTierStatement = (memberId: string, heldUntil: Date): Statement => ({
  sql: "update members set tier_held_until = ? where id = ?",
  args: [heldUntil.getTime(), memberId],
});
