import type { SqlReader } from "../db/reader";
import { lineAmountMinor } from "./settlement/money";

export type ProgramKpis = {
  programId: string;
  name: string;
  currency: string;
  issued: number;
  redeemed: number;
  convertedIn: number;
  convertedOut: number;
  activeMembers: number;
  /** Redeemed ÷ issued in the window (0 when nothing was issued). */
  redemptionRate: number;
  /** Points members hold (available and pending) at the owner's current redeem price, in minor units. */
  liabilityMinor: number;
  /** Per UTC day of the window, oldest first. */
  daily: { day: string; issued: number; redeemed: number }[];
};

const day = 86_400_000;

/**
 * A program's figures over `[until - days, until)`: points issued and redeemed net of reversals, converted in
 * and out, members with any movement, the redemption rate, and the outstanding liability now.
 */
export async function programKpis(
  reader: SqlReader,
  program: { id: string; name: string; currency: string; ownerId: string },
  until: Date,
  days = 30,
): Promise<ProgramKpis> {
  const since = until.getTime() - days * day;
  const rows = await reader.all<{ day: string; issued: number; redeemed: number; conv_in: number; conv_out: number }>(
    `select date(t.created_at / 1000, 'unixepoch') as day,
            sum(case when t.type = 'earn' then t.points when t.type = 'reversal' and o.type = 'earn' then -t.points else 0 end) as issued,
            sum(case when t.type = 'burn' then t.points when t.type = 'reversal' and o.type = 'burn' then -t.points else 0 end) as redeemed,
            sum(case when t.type = 'conversion_in' then t.points else 0 end) as conv_in,
            sum(case when t.type = 'conversion_out' then t.points else 0 end) as conv_out
     from ledger_transactions t left join ledger_transactions o on o.id = t.original_transaction_id
     where t.program_id = ? and t.created_at >= ? and t.created_at < ?
     group by 1`,
    [program.id, since, until.getTime()],
  );
  const [active] = await reader.all<{ members: number }>(
    `select count(distinct member_id) as members from ledger_transactions
     where program_id = ? and created_at >= ? and created_at < ? and type <> 'expiry'`,
    [program.id, since, until.getTime()],
  );
  const [held] = await reader.all<{ points: number | null }>(
    "select sum(balance) as points from accounts where program_id = ? and kind in ('member', 'member_hold')",
    [program.id],
  );
  const [price] = await reader.all<{ redeem_price_micros: number }>(
    `select redeem_price_micros from agreements where program_id = ? and partner_id = ? and valid_from <= ?
     order by valid_from desc limit 1`,
    [program.id, program.ownerId, until.getTime()],
  );
  const byDay = new Map(rows.map((row) => [row.day, row]));
  // The window's days, the last one being the day of `until` (partial, like the first).
  const daily = Array.from({ length: days }, (_, i) => {
    const date = new Date(until.getTime() - (days - 1 - i) * day).toISOString().slice(0, 10);
    const row = byDay.get(date);
    return { day: date, issued: row?.issued ?? 0, redeemed: row?.redeemed ?? 0 };
  });
  const total = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  const issued = total((row) => row.issued);
  const redeemed = total((row) => row.redeemed);
  return {
    programId: program.id,
    name: program.name,
    currency: program.currency,
    issued,
    redeemed,
    convertedIn: total((row) => row.conv_in),
    convertedOut: total((row) => row.conv_out),
    activeMembers: active?.members ?? 0,
    redemptionRate: issued > 0 ? redeemed / issued : 0,
    liabilityMinor: lineAmountMinor(held?.points ?? 0, price?.redeem_price_micros ?? 0, program.currency),
    daily,
  };
}
