import { expect } from "vitest";

type Rows = <T = Record<string, unknown>>(query: string, ...args: unknown[]) => Promise<T[]>;

const noneOf = async (rows: Rows, what: string, query: string) => expect(await rows(query), what).toEqual([]);

/**
 * The invariants of the ledger (README "Points ledger"), checked straight in the database after any workload:
 * every program and every transaction balances, every account's balance is the fold of its entries, no member
 * or hold account is negative, reversals stay within their original, and a member's last balance_after is its
 * balance.
 */
export async function expectLedgerInvariants(rows: Rows) {
  const none = (what: string, query: string) => noneOf(rows, what, query);
  await none(
    "programs whose entries do not sum to zero",
    "select program_id, sum(amount) as total from ledger_entries group by program_id having total <> 0",
  );
  await none(
    "transactions whose entries do not sum to zero",
    "select transaction_id, sum(amount) as total from ledger_entries group by transaction_id having total <> 0",
  );
  await none(
    "accounts whose balance is not the fold of their entries",
    `select a.id, a.balance, coalesce(sum(e.amount), 0) as folded
     from accounts a left join ledger_entries e on e.account_id = a.id
     group by a.id having a.balance <> folded`,
  );
  await none(
    "negative member or hold accounts",
    "select id, balance from accounts where kind in ('member', 'member_hold') and balance < 0",
  );
  await none(
    "entries outside their transaction's program",
    `select e.id from ledger_entries e left join ledger_transactions t on t.id = e.transaction_id
     where t.id is null or t.program_id <> e.program_id`,
  );
  await none(
    "transactions without exactly two legs",
    `select t.id from ledger_transactions t left join ledger_entries e on e.transaction_id = t.id
     group by t.id having count(e.id) <> 2`,
  );
  await none(
    "originals whose reversed_points are not the sum of their reversals",
    `select o.id from ledger_transactions o
     where o.reversed_points <> coalesce((select sum(r.points) from ledger_transactions r
                                          where r.original_transaction_id = o.id and r.type = 'reversal'), 0)`,
  );
  await none(
    "members whose latest balance_after is not their balance",
    `select t.member_id from ledger_transactions t join accounts a on a.id = t.member_id
     where t.rowid = (select max(rowid) from ledger_transactions where member_id = t.member_id)
       and t.balance_after <> a.balance`,
  );
}

/**
 * The invariants of conversions (README "Conversions"), for a workload where only conversions hold points:
 * a conversion has exactly its legs, hold accounts hold exactly the pending conversions, and daily totals are
 * what was converted that day, within the limit.
 */
export async function expectConversionInvariants(rows: Rows) {
  const none = (what: string, query: string) => noneOf(rows, what, query);
  // A completed conversion has exactly its two legs (plus its hold if it was held), each in its own program
  // for its own amount; a held one only its hold; a rejected one its hold and its release.
  const journals = await rows<{ id: string; status: string; held: number; legs: string }>(
    `select c.id, c.status, c.hold_transaction_id is not null as held,
            coalesce((select group_concat(kind, ',') from (
              select t.type || ':' || (case when t.program_id = c.from_program_id then 'from' else 'to' end)
                     || ':' || (case when t.points = (case when t.type = 'conversion_in' then c.to_points else c.from_points end)
                                     then 'ok' else 'wrong' end) as kind
              from ledger_transactions t where t.reference = c.id order by t.type)), '') as legs
     from conversions c`,
  );
  for (const row of journals) {
    const expected = {
      completed: row.held
        ? "conversion_in:to:ok,conversion_out:from:ok,hold:from:ok"
        : "conversion_in:to:ok,conversion_out:from:ok",
      held: "hold:from:ok",
      rejected: "hold:from:ok,release:from:ok",
    }[row.status];
    expect(row.legs, `${row.id} (${row.status})`).toBe(expected);
  }
  await none(
    "hold accounts that do not hold exactly their member's pending conversions",
    `select a.id, a.balance, coalesce((select sum(c.from_points) from conversions c
                                      where c.from_member_id = a.member_id and c.status = 'held'), 0) as pending
     from accounts a where a.kind = 'member_hold' and a.balance <> pending`,
  );
  await none(
    "daily conversion totals beyond their limit",
    "select * from conversion_daily_usage where points > limit_points or points < 0",
  );
  await none(
    "daily conversion totals that are not the day's completed and held conversions",
    `select u.member_id, u.day, u.points,
            (select coalesce(sum(c.from_points), 0) from conversions c
             where c.from_member_id = u.member_id and c.to_program_id = u.to_program_id and c.status <> 'rejected'
               and strftime('%Y-%m-%d', c.created_at / 1000, 'unixepoch') = u.day) as counted
     from conversion_daily_usage u where u.points <> counted`,
  );
  await none("quotes claimed twice", "select quote_id from conversions group by quote_id having count(*) > 1");
}
