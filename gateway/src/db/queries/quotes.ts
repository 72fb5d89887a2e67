import { first, type SqlReader } from "../reader";
import { type conversionRates, type conversions, type members, quotes } from "../schema";
import type { Statement } from "../writer";
import { fromSqlRow, type SqlRow } from "./rows";

type Quote = typeof quotes.$inferSelect;

export const insertQuoteStatement = (quote: Quote): Statement => ({
  sql: `insert into quotes (id, partner_id, rate_id, from_program_id, from_member_id, to_program_id, to_member_id,
          to_external_id, from_points, fee_points, to_points, expires_at, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  args: [
    quote.id,
    quote.partnerId,
    quote.rateId,
    quote.fromProgramId,
    quote.fromMemberId,
    quote.toProgramId,
    quote.toMemberId,
    quote.toExternalId,
    quote.fromPoints,
    quote.feePoints,
    quote.toPoints,
    quote.expiresAt.getTime(),
    quote.createdAt.getTime(),
  ],
});

type RateRow = SqlRow<typeof conversionRates>;
type QuoteRow = SqlRow<typeof quotes> &
  Pick<RateRow, "fee_bps" | "max_points_per_day"> & {
    from_external_id: SqlRow<typeof members>["external_id"];
    destination_external_id: SqlRow<typeof members>["external_id"];
    rate_from_points: RateRow["from_points"];
    rate_to_points: RateRow["to_points"];
    conversion_id: SqlRow<typeof conversions>["id"] | null;
  };

/**
 * The partner's quote with what executing it needs: both members' numbers, the rate's terms, and the
 * conversion that already used it (null while unused). Undefined for another partner's or an unknown quote.
 * The destination member may be in another database (docs/scale-out.md): then its number is the quote's copy.
 */
export async function findQuoteToExecute(reader: SqlReader, quoteId: string, partnerId: string) {
  const row = await first<QuoteRow>(
    reader,
    `select q.*, fm.external_id as from_external_id, coalesce(tm.external_id, q.to_external_id) as destination_external_id,
            r.from_points as rate_from_points, r.to_points as rate_to_points, r.fee_bps, r.max_points_per_day,
            c.id as conversion_id
     from quotes q join members fm on fm.id = q.from_member_id left join members tm on tm.id = q.to_member_id
     join conversion_rates r on r.id = q.rate_id left join conversions c on c.quote_id = q.id
     where q.id = ? and q.partner_id = ?`,
    [quoteId, partnerId],
  );
  if (!row) return undefined;
  return {
    quote: fromSqlRow(quotes, row),
    sides: { fromExternalId: row.from_external_id, toExternalId: row.destination_external_id },
    rate: {
      id: row.rate_id,
      fromPoints: row.rate_from_points,
      toPoints: row.rate_to_points,
      feeBps: row.fee_bps,
      maxPointsPerDay: row.max_points_per_day,
    },
    usedByConversionId: row.conversion_id,
  };
}
