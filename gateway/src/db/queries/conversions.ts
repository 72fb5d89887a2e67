import { first, type SqlReader } from "../reader";
import { type conversionDailyUsage, type conversionRates, conversions, type members, type programs } from "../schema";
import type { Statement } from "../writer";
import { type HeldReviewRow, heldReviewColumns, heldReviewOf } from "./reviews";
import { fromSqlRow, type SqlRow } from "./rows";

type Conversion = typeof conversions.$inferSelect;

/** Inserting the conversion claims its quote: `quote_id` is unique, so a quote converts once. */
export const insertConversionStatement = (c: Conversion): Statement => ({
  sql: `insert into conversions (id, quote_id, partner_id, rate_id, from_program_id, from_member_id, to_program_id,
          to_member_id, from_points, fee_points, to_points, settlement_price_micros, settlement_currency, status,
          review_id, hold_transaction_id, created_at, decided_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    c.id,
    c.quoteId,
    c.partnerId,
    c.rateId,
    c.fromProgramId,
    c.fromMemberId,
    c.toProgramId,
    c.toMemberId,
    c.fromPoints,
    c.feePoints,
    c.toPoints,
    c.settlementPriceMicros,
    c.settlementCurrency,
    c.status,
    c.reviewId,
    c.holdTransactionId,
    c.createdAt.getTime(),
    c.decidedAt?.getTime() ?? null,
  ],
});

/**
 * A held conversion decided (completed or rejected, or `pending` when its saga starts between two databases), or a
 * pending one finished (completed or failed), at `at`; null while it is not decided yet.
 */
export const decideConversionStatement = (id: string, status: Conversion["status"], at: Date | null): Statement => ({
  sql: "update conversions set status = ?, decided_at = ? where id = ?",
  args: [status, at?.getTime() ?? null, id],
});

/**
 * Adds `points` (negative to take them back) to the member's total for the day; the row's CHECK against
 * `limitPoints` refuses the whole unit when the total would pass the daily maximum.
 */
export const addDailyUsageStatement = (usage: typeof conversionDailyUsage.$inferSelect): Statement => ({
  sql: `insert into conversion_daily_usage (member_id, to_program_id, day, points, limit_points) values (?, ?, ?, ?, ?)
        on conflict (member_id, to_program_id, day) do update set points = points + excluded.points`,
  args: [usage.memberId, usage.toProgramId, usage.day, usage.points, usage.limitPoints],
});

/** Points the member converted to `toProgramId` on `day` (completed and held conversions). */
export async function findDailyUsage(reader: SqlReader, memberId: string, toProgramId: string, day: string) {
  const row = await first<Pick<SqlRow<typeof conversionDailyUsage>, "points">>(
    reader,
    "select points from conversion_daily_usage where member_id = ? and to_program_id = ? and day = ?",
    [memberId, toProgramId, day],
  );
  return row?.points ?? 0;
}

/** Whether a conversion from this member to that destination member ever completed. */
export async function hasCompletedConversion(reader: SqlReader, fromMemberId: string, toMemberId: string) {
  const row = await first(
    reader,
    "select 1 from conversions where from_member_id = ? and to_member_id = ? and status = 'completed' limit 1",
    [fromMemberId, toMemberId],
  );
  return row !== undefined;
}

type ProgramRow = SqlRow<typeof programs>;
type MemberRow = SqlRow<typeof members>;
type RateRow = SqlRow<typeof conversionRates>;

/**
 * The destination side of a conversion: the program, and its member with that `external_id` (null when the
 * program has none by that number). Undefined when there is no such program.
 */
export async function findProgramMember(reader: SqlReader, programId: string, externalId: string) {
  const row = await first<
    Pick<
      ProgramRow,
      "partner_id" | "points_expire_after_days" | "issue_price_micros" | "settlement_currency" | "status"
    > & {
      program_id: ProgramRow["id"];
      member_id: MemberRow["id"] | null;
      external_id: MemberRow["external_id"] | null;
      erased_at: MemberRow["erased_at"];
    }
  >(
    reader,
    `select p.id as program_id, p.partner_id, p.points_expire_after_days, p.issue_price_micros, p.settlement_currency,
            p.status, m.id as member_id, m.external_id, m.erased_at
     from programs p left join members m on m.program_id = p.id and m.external_id = ?
     where p.id = ?`,
    [externalId, programId],
  );
  if (!row) return undefined;
  return {
    program: {
      id: row.program_id,
      partnerId: row.partner_id,
      pointsExpireAfterDays: row.points_expire_after_days,
      issuePriceMicros: row.issue_price_micros,
      settlementCurrency: row.settlement_currency,
      status: row.status,
    },
    member:
      row.member_id && row.external_id
        ? {
            id: row.member_id,
            externalId: row.external_id,
            erasedAt: row.erased_at === null ? null : new Date(row.erased_at),
          }
        : null,
  };
}

/** A conversion with what its API shape and its decision need from the members, the rate and both programs. */
type ConversionDetails = {
  conversion: Conversion;
  rate: { id: string; fromPoints: number; toPoints: number; feeBps: number; maxPointsPerDay: number | null };
  sides: { fromExternalId: string; toExternalId: string };
  /** The partners that own the source and the destination program. */
  owners: { from: string; to: string };
  destinationExpiresAfterDays: number | null;
  /** Why the destination refused a conversion between two databases (`failed`); null otherwise. */
  failureReason: string | null;
};

type DetailsRow = SqlRow<typeof conversions> &
  Pick<RateRow, "fee_bps" | "max_points_per_day"> & {
    from_external_id: MemberRow["external_id"];
    to_external_id: MemberRow["external_id"];
    rate_from_points: RateRow["from_points"];
    rate_to_points: RateRow["to_points"];
    from_owner: ProgramRow["partner_id"];
    to_owner: ProgramRow["partner_id"];
    to_expire_days: ProgramRow["points_expire_after_days"];
    failure_reason: string | null;
  };

// The destination member may be in another database (docs/scale-out.md): then its number is the quote's copy, and a
// saga's refusal says why the conversion failed.
const detailsColumns = `c.*, fm.external_id as from_external_id,
  coalesce(tm.external_id, q.to_external_id) as to_external_id,
  r.from_points as rate_from_points, r.to_points as rate_to_points, r.fee_bps, r.max_points_per_day,
  fp.partner_id as from_owner, tp.partner_id as to_owner, tp.points_expire_after_days as to_expire_days,
  s.reason as failure_reason`;

const detailsJoins = `join members fm on fm.id = c.from_member_id left join members tm on tm.id = c.to_member_id
  join quotes q on q.id = c.quote_id join conversion_rates r on r.id = c.rate_id
  join programs fp on fp.id = c.from_program_id join programs tp on tp.id = c.to_program_id
  left join conversion_sagas s on s.id = c.id`;

const toDetails = (row: DetailsRow): ConversionDetails => ({
  conversion: fromSqlRow(conversions, row),
  rate: {
    id: row.rate_id,
    fromPoints: row.rate_from_points,
    toPoints: row.rate_to_points,
    feeBps: row.fee_bps,
    maxPointsPerDay: row.max_points_per_day,
  },
  sides: { fromExternalId: row.from_external_id, toExternalId: row.to_external_id },
  owners: { from: row.from_owner, to: row.to_owner },
  destinationExpiresAfterDays: row.to_expire_days,
  failureReason: row.failure_reason,
});

export async function findConversionDetails(reader: SqlReader, id: string): Promise<ConversionDetails | undefined> {
  const row = await first<DetailsRow>(
    reader,
    `select ${detailsColumns} from conversions c ${detailsJoins} where c.id = ?`,
    [id],
  );
  return row && toDetails(row);
}

/** Every conversion out of or into a member's account, newest first, with what its answer needs. */
export async function listMemberConversionDetails(reader: SqlReader, memberId: string): Promise<ConversionDetails[]> {
  const rows = await reader.all<DetailsRow>(
    `select ${detailsColumns} from conversions c ${detailsJoins}
     where c.from_member_id = ?1 or c.to_member_id = ?1 order by c.id desc`,
    [memberId],
  );
  return rows.map(toDetails);
}

/** The conversion a review holds, with the review's state; undefined when no review holds a conversion by that id. */
export async function findHeldConversion(reader: SqlReader, reviewId: string) {
  const row = await first<DetailsRow & HeldReviewRow>(
    reader,
    `select ${detailsColumns}, ${heldReviewColumns}
     from reviews rv join conversions c on c.id = rv.conversion_id ${detailsJoins}
     where rv.id = ?`,
    [reviewId],
  );
  return row && { ...toDetails(row), review: heldReviewOf(reviewId, row) };
}
