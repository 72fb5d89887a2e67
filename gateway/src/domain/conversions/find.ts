import { first, type SqlReader } from "../../db/reader";
import { ApiError } from "../../errors";
import { conversionBody } from "./present";

type Row = {
  id: string;
  quote_id: string;
  partner_id: string;
  rate_id: string;
  from_program_id: string;
  from_member_id: string;
  to_program_id: string;
  to_member_id: string;
  from_points: number;
  fee_points: number;
  to_points: number;
  settlement_price_micros: number;
  settlement_currency: string;
  status: "completed" | "held" | "rejected";
  review_id: string | null;
  hold_transaction_id: string | null;
  created_at: number;
  decided_at: number | null;
  from_external_id: string;
  to_external_id: string;
  rate_from_points: number;
  rate_to_points: number;
  fee_bps: number;
  from_owner: string;
  to_owner: string;
};

/**
 * A conversion as either side sees it: the partner that made it and the owners of both programs. To
 * anyone else it does not exist (404).
 */
export async function findConversionForPartner(reader: SqlReader, id: string, partnerId: string) {
  const row = await first<Row>(
    reader,
    `select c.*, fm.external_id as from_external_id, tm.external_id as to_external_id,
            r.from_points as rate_from_points, r.to_points as rate_to_points, r.fee_bps,
            fp.partner_id as from_owner, tp.partner_id as to_owner
     from conversions c join members fm on fm.id = c.from_member_id join members tm on tm.id = c.to_member_id
     join conversion_rates r on r.id = c.rate_id
     join programs fp on fp.id = c.from_program_id join programs tp on tp.id = c.to_program_id
     where c.id = ?`,
    [id],
  );
  if (!row || ![row.partner_id, row.from_owner, row.to_owner].includes(partnerId))
    throw new ApiError("not_found", `No conversion ${id}.`);
  return conversionBody(
    {
      id: row.id,
      quoteId: row.quote_id,
      partnerId: row.partner_id,
      rateId: row.rate_id,
      fromProgramId: row.from_program_id,
      fromMemberId: row.from_member_id,
      toProgramId: row.to_program_id,
      toMemberId: row.to_member_id,
      fromPoints: row.from_points,
      feePoints: row.fee_points,
      toPoints: row.to_points,
      settlementPriceMicros: row.settlement_price_micros,
      settlementCurrency: row.settlement_currency,
      status: row.status,
      reviewId: row.review_id,
      holdTransactionId: row.hold_transaction_id,
      createdAt: new Date(row.created_at),
      decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
    },
    { id: row.rate_id, fromPoints: row.rate_from_points, toPoints: row.rate_to_points, feeBps: row.fee_bps },
    { fromExternalId: row.from_external_id, toExternalId: row.to_external_id },
  );
}
