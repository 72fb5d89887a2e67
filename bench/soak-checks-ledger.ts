import type Database from "libsql";
import type { Checks } from "./soak-check";
import { rewardStock } from "./soak-setup";

/** The count a query answers as `n`. */
const count = (db: Database.Database, sql: string) => (db.prepare(sql).get() as { n: number }).n;

/** A check made by SQL: over `checked` things (a count, or a query counting them), the rows `violating` selects broke it. */
type SqlCheck = (name: string, checked: number | string, violating: string) => void;
const sqlCheck =
  (db: Database.Database, checks: Checks): SqlCheck =>
  (name, checked, violating) =>
    checks
      .add(name)
      .rows(typeof checked === "number" ? checked : count(db, checked), db.prepare(violating).all(), (row) =>
        JSON.stringify(row),
      );

/**
 * Which way each transaction type moves its own member's account: the leg on the member must be `sign * points`.
 * A reversal moves it against what it reverses. (`+e.account_id` keeps SQLite on the legs' transaction index: by the
 * account index it read each member's every leg once per transaction of the member.)
 */
const memberLegSql = `
  select t.id, t.type, t.points, e.amount
  from ledger_transactions t
  left join ledger_transactions o on o.id = t.original_transaction_id
  left join ledger_entries e on e.transaction_id = t.id and +e.account_id = t.member_id
  where e.amount is null or e.amount <> t.points * case
    when t.type in ('earn', 'conversion_in', 'transfer_in') then 1
    when t.type in ('burn', 'conversion_out', 'transfer_out') then -1
    when t.type = 'reversal' and o.type = 'earn' then -1
    when t.type = 'reversal' and o.type = 'burn' then 1
    else 0 end`;

const programs = "select count(*) as n from programs";

/**
 * PRODUCT.md's ledger invariants on the stopped file: integer points, double entry (each transaction's legs and each
 * program's entries sum to zero), balances equal to the fold of the journal, no member below zero, each transaction
 * moving its member by its points, reversals within and equal to what they took back, lifetime earned as the earns
 * net of their reversals, conversions and transfers balanced (their legs, fees and rates), redemptions paid by their
 * burn and stock never below zero nor different from what was ordered.
 */
export function checkLedger(db: Database.Database, checks: Checks) {
  const check = sqlCheck(db, checks);
  const transactions = count(db, "select count(*) as n from ledger_transactions");
  const entries = count(db, "select count(*) as n from ledger_entries");
  const accounts = count(db, "select count(*) as n from accounts");

  check(
    "points are integers",
    entries + transactions + accounts,
    `select 'entry' as what, id from ledger_entries where typeof(amount) <> 'integer'
     union all select 'transaction', id from ledger_transactions where typeof(points) <> 'integer' or typeof(reversed_points) <> 'integer'
     union all select 'account', id from accounts where typeof(balance) <> 'integer'`,
  );
  check(
    "each transaction's legs sum to zero (two legs at least)",
    transactions,
    `select t.id, t.type, count(e.id) as legs, coalesce(sum(e.amount), 0) as sum from ledger_transactions t
     left join ledger_entries e on e.transaction_id = t.id group by t.id having count(e.id) < 2 or sum(e.amount) <> 0
     union all select e.transaction_id, 'no transaction', count(*), sum(e.amount) from ledger_entries e
     where not exists (select 1 from ledger_transactions t where t.id = e.transaction_id) group by e.transaction_id`,
  );
  check(
    "each program's entries sum to zero",
    "select count(distinct program_id) as n from ledger_entries",
    "select program_id, sum(amount) as sum from ledger_entries group by program_id having sum(amount) <> 0",
  );
  check(
    "each account's balance is the fold of its legs",
    accounts,
    `select a.id, a.balance, coalesce(e.sum, 0) as legs from accounts a
     left join (select account_id, sum(amount) as sum from ledger_entries group by account_id) e on e.account_id = a.id
     where a.balance <> coalesce(e.sum, 0)
     union all select e.account_id, null, sum(e.amount) from ledger_entries e
     where not exists (select 1 from accounts a where a.id = e.account_id) group by e.account_id`,
  );
  check(
    "no member account below zero",
    "select count(*) as n from accounts where kind in ('member', 'member_hold')",
    "select id, kind, balance from accounts where kind in ('member', 'member_hold') and balance < 0",
  );
  check("each transaction moves its member by its points", transactions, memberLegSql);
  check(
    "reversed_points = the reversals of it, within its points",
    "select count(*) as n from ledger_transactions where type in ('earn', 'burn')",
    `select t.id, t.points, t.reversed_points, coalesce(sum(r.points), 0) as reversals from ledger_transactions t
     left join ledger_transactions r on r.original_transaction_id = t.id and r.type = 'reversal'
     where t.type in ('earn', 'burn') group by t.id
     having t.reversed_points <> coalesce(sum(r.points), 0) or t.reversed_points > t.points`,
  );
  check(
    "lifetime_earned = the member's earns net of their reversals",
    "select count(*) as n from members",
    `select m.id, m.lifetime_earned, coalesce(sum(case when t.type = 'earn' then t.points else -t.points end), 0) as net
     from members m left join ledger_transactions t on t.member_id = m.id and (t.type = 'earn'
       or (t.type = 'reversal' and exists (select 1 from ledger_transactions o where o.id = t.original_transaction_id and o.type = 'earn')))
     group by m.id having m.lifetime_earned <> net`,
  );
  checkConversions(check);
  checkTransfers(check);
  checkRedemptions(check);
}

function checkConversions(check: SqlCheck) {
  check(
    "each conversion: its fee and rate, one leg out of its source member, one into its destination",
    "select count(*) as n from conversions",
    // The legs grouped by their conversion first (one pass over the journal): `reference` has no index.
    `with legs as (
       select reference, type, program_id, member_id, points, count(*) as n from ledger_transactions
       where type in ('conversion_out', 'conversion_in') group by reference, type, program_id, member_id, points)
     select c.id, c.from_points, c.fee_points, c.to_points, c.status, o.n as outs, i.n as ins
     from conversions c join conversion_rates r on r.id = c.rate_id
     left join legs o on o.reference = c.id and o.type = 'conversion_out' and o.program_id = c.from_program_id
       and o.member_id = c.from_member_id and o.points = c.from_points
     left join legs i on i.reference = c.id and i.type = 'conversion_in' and i.program_id = c.to_program_id
       and i.member_id = c.to_member_id and i.points = c.to_points
     where c.status <> 'completed' or o.n is not 1 or i.n is not 1
       or c.fee_points <> (c.from_points * r.fee_bps + 9999) / 10000
       or c.to_points <> (c.from_points - c.fee_points) * r.to_points / r.from_points`,
  );
  check(
    "conversions balance between programs (each program's conversion accounts = its conversions)",
    programs,
    `select p.id,
       coalesce((select balance from accounts where id = p.id || ':conversions_out'), 0) as out_account,
       coalesce((select sum(from_points) from conversions where from_program_id = p.id and status = 'completed'), 0) as converted_out,
       coalesce((select balance from accounts where id = p.id || ':conversions_in'), 0) as in_account,
       coalesce((select sum(to_points) from conversions where to_program_id = p.id and status = 'completed'), 0) as converted_in
     from programs p where out_account <> converted_out or in_account <> -converted_in`,
  );
}

function checkTransfers(check: SqlCheck) {
  check(
    "each transfer: its fee, its sender's leg out and its receiver's leg in",
    "select count(*) as n from transfers",
    `select t.id, t.points, t.fee_points, t.received_points, t.status from transfers t
     join transfer_rules r on r.program_id = t.program_id
     left join ledger_transactions o on o.id = t.out_transaction_id
     left join ledger_transactions i on i.id = t.in_transaction_id
     where t.status <> 'completed' or t.fee_points <> (t.points * r.fee_bps + 9999) / 10000
       or o.type is not 'transfer_out' or o.member_id <> t.from_member_id or o.points <> t.points
       or i.type is not 'transfer_in' or i.member_id <> t.to_member_id or i.points <> t.received_points`,
  );
  check(
    "each program's transfer fees account = its transfers' fees",
    programs,
    `select p.id, coalesce((select balance from accounts where id = p.id || ':transfer_fees'), 0) as account,
       coalesce((select sum(fee_points) from transfers where program_id = p.id and status = 'completed'), 0) as fees
     from programs p where account <> fees`,
  );
}

function checkRedemptions(check: SqlCheck) {
  check(
    "each redemption paid by its burn of price x quantity",
    "select count(*) as n from redemptions",
    `select d.id, d.points, d.quantity, w.points_price, t.type, t.points as burned from redemptions d
     join rewards w on w.id = d.reward_id left join ledger_transactions t on t.id = d.transaction_id
     where d.points <> w.points_price * d.quantity or t.type is not 'burn' or t.points <> d.points
       or t.member_id <> d.member_id or t.reference <> d.id`,
  );
  check(
    "stock never below zero, and what was ordered less",
    "select count(*) as n from rewards",
    `select w.id, w.stock, coalesce(sum(d.quantity), 0) as ordered from rewards w
     left join redemptions d on d.reward_id = w.id and d.status not in ('cancelled', 'rejected')
     group by w.id having w.stock < 0 or w.stock <> ${rewardStock} - ordered`,
  );
}
