import { eq, or, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { first, type SqlReader } from "../reader";
import { members, programs, redemptions, reviews, type rewardCodes, rewards } from "../schema";
import type { Statement } from "../writer";
import type { JsonPatch } from "./json-patch";
import { both, type PageOrder, type PageQuery, pageBy } from "./pages";
import { refusalStatement } from "./refusals";
import { fromSqlRow, type Prefixed, type SqlRow, selectList } from "./rows";

export type RedemptionRow = typeof redemptions.$inferSelect;
export type RedemptionStatus = RedemptionRow["status"];
type RewardRow = typeof rewards.$inferSelect;

/** A redemption with what its answers and its steps need: the member's external id, the program's owner, the reward. */
export type StoredRedemption = {
  redemption: RedemptionRow;
  externalId: string;
  ownerId: string;
  reward: Pick<RewardRow, "name" | "type" | "fulfilment">;
};

// Orders that hold a member's share of a reward: cancelled, returned and rejected ones give it back.
const countingStatuses = "('held', 'pending', 'fulfilled')";

/** A new order, in the same atomic write as its burn (or hold). */
export const insertRedemptionStatement = (r: RedemptionRow): Statement => ({
  sql: `insert into redemptions (id, program_id, member_id, reward_id, partner_id, fulfilling_partner_id, quantity, points,
          status, transaction_id, review_id, delivery, tracking_reference, cancel_reason, created_at, updated_at,
          fulfilled_at, cancelled_at, returned_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    r.id,
    r.programId,
    r.memberId,
    r.rewardId,
    r.partnerId,
    r.fulfillingPartnerId,
    r.quantity,
    r.points,
    r.status,
    r.transactionId,
    r.reviewId,
    r.delivery,
    r.trackingReference,
    r.cancelReason,
    r.createdAt.getTime(),
    r.updatedAt.getTime(),
    r.fulfilledAt?.getTime() ?? null,
    r.cancelledAt?.getTime() ?? null,
    r.returnedAt?.getTime() ?? null,
  ],
});

/**
 * Refuses an order (`not_eligible`) unless, when it is written, the reward is active and available at `at` and the
 * member's tier is among the reward's tiers (or the reward has none): a reward switched off or a tier lost meanwhile
 * refuses it, not only the facts read before.
 */
export const eligibleStatement = (rewardId: string, memberId: string, at: Date): Statement =>
  refusalStatement(
    "not_eligible",
    `exists (select 1 from rewards r join members m on m.id = ?
             where r.id = ? and r.active = 1
               and (r.available_from is null or r.available_from <= ?)
               and (r.available_until is null or r.available_until > ?)
               and (r.tiers is null or exists (select 1 from json_each(r.tiers) t where t.value = m.tier_key)))`,
    [memberId, rewardId, at.getTime(), at.getTime()],
  );

/**
 * Takes `quantity` units off a reward's stock (an unlimited reward, stock null, is left as it is); the CHECK
 * `rewards_in_stock` refuses the whole write below zero. A negative quantity puts units back.
 */
export const takeStockStatement = (rewardId: string, quantity: number): Statement => ({
  sql: "update rewards set stock = stock - ? where id = ? and stock is not null",
  args: [quantity, rewardId],
});

/**
 * Assigns the `quantity` oldest available codes of a reward to a redemption, then refuses the write
 * (`out_of_stock`) unless exactly `quantity` were: a code leaves `available` once, so no code is assigned twice.
 */
export const assignCodesStatements = (
  rewardId: string,
  redemptionId: string,
  quantity: number,
  at: Date,
): Statement[] => [
  {
    sql: `update reward_codes set status = 'assigned', redemption_id = ?, assigned_at = ?
          where id in (select id from reward_codes where reward_id = ? and status = 'available' order by id limit ?)`,
    args: [redemptionId, at.getTime(), rewardId, quantity],
  },
  refusalStatement("out_of_stock", "(select count(*) from reward_codes where redemption_id = ?) = ?", [
    redemptionId,
    quantity,
  ]),
];

/** Voids a redemption's codes (cancelled, rejected): they are never handed out again. */
export const voidCodesStatement = (redemptionId: string): Statement => ({
  sql: "update reward_codes set status = 'void' where redemption_id = ? and status = 'assigned'",
  args: [redemptionId],
});

/**
 * After the order's row: refuses the write (`limit_exceeded`) when the member's orders of the reward that hold
 * units (held, pending, fulfilled) now exceed its per-member limit, so concurrent orders cannot pass it together.
 */
export const memberLimitStatement = (memberId: string, rewardId: string): Statement =>
  refusalStatement(
    "limit_exceeded",
    `(select per_member_limit from rewards where id = ?) is null
     or (select coalesce(sum(quantity), 0) from redemptions
         where member_id = ? and reward_id = ? and status in ${countingStatuses})
        <= (select per_member_limit from rewards where id = ?)`,
    [rewardId, memberId, rewardId, rewardId],
  );

/** What a step changes on a redemption besides its status (absent: left as it is). */
export type RedemptionChange = Partial<
  Pick<
    RedemptionRow,
    "transactionId" | "trackingReference" | "cancelReason" | "fulfilledAt" | "cancelledAt" | "returnedAt"
  >
>;

const changeColumns: Record<keyof RedemptionChange, string> = {
  transactionId: "transaction_id",
  trackingReference: "tracking_reference",
  cancelReason: "cancel_reason",
  fulfilledAt: "fulfilled_at",
  cancelledAt: "cancelled_at",
  returnedAt: "returned_at",
};

/**
 * Moves a redemption from one of `from` to `to`, decided inside the write: the refusal (`invalid_state`) reads
 * the status as the write finds it, so of two steps racing (cancel and fulfil) exactly one commits.
 */
export function stepStatements(
  id: string,
  from: readonly RedemptionStatus[],
  to: RedemptionStatus,
  change: RedemptionChange,
  at: Date,
): Statement[] {
  const entries = Object.entries(change) as [keyof RedemptionChange, string | Date | null][];
  const sets = entries.map(([key]) => `, ${changeColumns[key]} = ?`).join("");
  return [
    refusalStatement("invalid_state", `(select status from redemptions where id = ?) in (${from.map(() => "?")})`, [
      id,
      ...from,
    ]),
    {
      sql: `update redemptions set status = ?, updated_at = ?${sets} where id = ?`,
      args: [to, at.getTime(), ...entries.map(([, value]) => (value instanceof Date ? value.getTime() : value)), id],
    },
  ];
}

/** The codes a redemption holds, oldest first, as the write leaves them: a response body's `codes`. */
export const codesPatch = (redemptionId: string): JsonPatch => ({
  path: "$.codes",
  // `json(...)` outside the subquery, so json_set takes the array as JSON rather than as its text.
  sql: "json((select json_group_array(code) from (select code from reward_codes where redemption_id = ? order by id)))",
  args: [redemptionId],
});

type StoredRow = SqlRow<typeof redemptions> & {
  external_id: string;
  owner_id: string;
  reward_name: string;
  reward_type: RewardRow["type"];
  reward_fulfilment: RewardRow["fulfilment"];
};

const storedColumns = `${selectList(redemptions, "d")}, m.external_id, p.partner_id as owner_id,
  r.name as reward_name, r.type as reward_type, r.fulfilment as reward_fulfilment`;
const storedJoins = `join members m on m.id = d.member_id join programs p on p.id = d.program_id
  join rewards r on r.id = d.reward_id`;

const toStored = (row: StoredRow): StoredRedemption => ({
  redemption: fromSqlRow(redemptions, row),
  externalId: row.external_id,
  ownerId: row.owner_id,
  reward: { name: row.reward_name, type: row.reward_type, fulfilment: row.reward_fulfilment },
});

export async function findRedemption(reader: SqlReader, id: string): Promise<StoredRedemption | undefined> {
  const row = await first<StoredRow>(
    reader,
    `select ${storedColumns} from redemptions d ${storedJoins} where d.id = ?`,
    [id],
  );
  return row && toStored(row);
}

/** The redemption a review of kind `redemption` holds, with the review. */
export async function findHeldRedemption(reader: SqlReader, reviewId: string) {
  const row = await first<StoredRow & Prefixed<SqlRow<typeof reviews>, "rv_">>(
    reader,
    `select ${storedColumns}, ${selectList(reviews, "v", "rv_")}
     from reviews v join redemptions d on d.id = v.redemption_id ${storedJoins} where v.id = ?`,
    [reviewId],
  );
  return row && { ...toStored(row), review: fromSqlRow(reviews, row, "rv_") };
}

/** The codes of each of `redemptionIds` (a page's worth at most), oldest first. */
export async function findRedemptionCodes(
  reader: SqlReader,
  redemptionIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byRedemption = new Map<string, string[]>(redemptionIds.map((id) => [id, []]));
  if (redemptionIds.length === 0) return byRedemption;
  const rows = await reader.all<Pick<SqlRow<typeof rewardCodes>, "redemption_id" | "code">>(
    `select redemption_id, code from reward_codes where redemption_id in (${redemptionIds.map(() => "?")}) order by id`,
    [...redemptionIds],
  );
  for (const row of rows) if (row.redemption_id) byRedemption.get(row.redemption_id)?.push(row.code);
  return byRedemption;
}

/** Which redemptions a list shows: by status and program, and for a partner only those it may see. */
export type RedemptionFilter = {
  status?: RedemptionStatus;
  programId?: string;
  /** A partner sees the orders of programs it owns, those it fulfils and those it placed; undefined: every one. */
  visibleTo?: string;
  memberId?: string;
};

/** A page of redemptions with their member's external id and their reward. */
export async function listRedemptionsPage(db: Db, filter: RedemptionFilter, query: PageQuery, order?: PageOrder) {
  const page = pageBy(redemptions.id, query, order);
  const visible: SQL | undefined =
    filter.visibleTo === undefined
      ? undefined
      : or(
          eq(programs.partnerId, filter.visibleTo),
          eq(redemptions.fulfillingPartnerId, filter.visibleTo),
          eq(redemptions.partnerId, filter.visibleTo),
        );
  const rows = await db
    .select({
      redemption: redemptions,
      externalId: members.externalId,
      ownerId: programs.partnerId,
      reward: { name: rewards.name, type: rewards.type, fulfilment: rewards.fulfilment },
    })
    .from(redemptions)
    .innerJoin(members, eq(members.id, redemptions.memberId))
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .innerJoin(rewards, eq(rewards.id, redemptions.rewardId))
    .where(
      both(
        filter.status ? eq(redemptions.status, filter.status) : undefined,
        filter.programId ? eq(redemptions.programId, filter.programId) : undefined,
        filter.memberId ? eq(redemptions.memberId, filter.memberId) : undefined,
        visible,
        page.where,
      ),
    )
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows satisfies StoredRedemption[]);
}

/** The redemption a transaction paid for (its burn or hold), if any: such a burn is refunded only by its order's steps. */
export async function findRedemptionIdPaidBy(reader: SqlReader, transactionId: string): Promise<string | undefined> {
  const row = await first<{ id: string }>(reader, "select id from redemptions where transaction_id = ? limit 1", [
    transactionId,
  ]);
  return row?.id;
}
