import { first, type SqlReader } from "../reader";
import type { agreements, programs } from "../schema";
import type { SqlRow } from "./rows";

/** What the dashboard reads, in plain SQL: a partner's programs and their movements, members and liability. */

/** A program as the dashboard names and prices it. */
export type KpiProgram = { id: string; name: string; currency: string; ownerId: string };

type ProgramRow = Pick<SqlRow<typeof programs>, "id" | "name" | "settlement_currency" | "partner_id">;

const toKpiProgram = (row: ProgramRow): KpiProgram => ({
  id: row.id,
  name: row.name,
  currency: row.settlement_currency,
  ownerId: row.partner_id,
});

/** The programs a partner owns, oldest first. */
export async function listOwnedPrograms(reader: SqlReader, partnerId: string): Promise<KpiProgram[]> {
  const rows = await reader.all<ProgramRow>(
    "select id, name, settlement_currency, partner_id from programs where partner_id = ? order by id",
    [partnerId],
  );
  return rows.map(toKpiProgram);
}

/** One UTC day's points (`YYYY-MM-DD`): issued and redeemed net of their reversals, converted in and out. */
type DayMovements = { day: string; issued: number; redeemed: number; convertedIn: number; convertedOut: number };

type DayRow = { day: string; issued: number; redeemed: number; conv_in: number; conv_out: number };

const toDayMovements = (row: DayRow): DayMovements => ({
  day: row.day,
  issued: row.issued,
  redeemed: row.redeemed,
  convertedIn: row.conv_in,
  convertedOut: row.conv_out,
});

/**
 * A program's movements per day over `[since, until)`, only the days that had any. Bonuses (tier and promotion)
 * are points issued as earns are, by the program's owner: they count in `issued`, net of their reversals.
 */
export async function listDailyMovements(
  reader: SqlReader,
  programId: string,
  since: Date,
  until: Date,
): Promise<DayMovements[]> {
  const rows = await reader.all<DayRow>(
    `select date(t.created_at / 1000, 'unixepoch') as day,
            sum(case when t.type in ('earn', 'bonus') then t.points when t.type = 'reversal' and o.type in ('earn', 'bonus') then -t.points else 0 end) as issued,
            sum(case when t.type = 'burn' then t.points when t.type = 'reversal' and o.type = 'burn' then -t.points else 0 end) as redeemed,
            sum(case when t.type = 'conversion_in' then t.points else 0 end) as conv_in,
            sum(case when t.type = 'conversion_out' then t.points else 0 end) as conv_out
     from ledger_transactions t left join ledger_transactions o on o.id = t.original_transaction_id
     where t.program_id = ? and t.created_at >= ? and t.created_at < ?
     group by 1`,
    [programId, since.getTime(), until.getTime()],
  );
  return rows.map(toDayMovements);
}

/**
 * Members of a program with any movement of their own in `[since, until)`: not expiries, nor the owner's
 * adjustments or bonuses (a bonus comes with the member's earn, or from a promotion the member did nothing for).
 */
export async function countActiveMembers(reader: SqlReader, programId: string, since: Date, until: Date) {
  const row = await first<{ members: number }>(
    reader,
    `select count(distinct member_id) as members from ledger_transactions
     where program_id = ? and created_at >= ? and created_at < ? and type not in ('expiry', 'adjustment', 'bonus')`,
    [programId, since.getTime(), until.getTime()],
  );
  return row?.members ?? 0;
}

/** The points a program's members hold, available and pending. */
export async function sumPointsHeld(reader: SqlReader, programId: string): Promise<number> {
  const row = await first<{ points: number | null }>(
    reader,
    "select sum(balance) as points from accounts where program_id = ? and kind in ('member', 'member_hold')",
    [programId],
  );
  return row?.points ?? 0;
}

/** The redeem price per point of `partnerId`'s agreement in force at `at`, if it has one. */
export async function findRedeemPrice(
  reader: SqlReader,
  programId: string,
  partnerId: string,
  at: Date,
): Promise<number | undefined> {
  const row = await first<Pick<SqlRow<typeof agreements>, "redeem_price_micros">>(
    reader,
    `select redeem_price_micros from agreements where program_id = ? and partner_id = ? and valid_from <= ?
     order by valid_from desc limit 1`,
    [programId, partnerId, at.getTime()],
  );
  return row?.redeem_price_micros;
}
