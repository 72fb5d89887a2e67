import Database from "libsql";
import {
  type HistoryMember,
  type HistoryOptions,
  type HistoryRedemption,
  type HistoryRow,
  playHistory,
} from "./reports-history";

/** Statements per write transaction of the loader. */
const perTransaction = 50_000;

/** A fulfilment takes two days; an order taken back before that is cancelled, after it returned. */
const fulfilmentMs = 2 * 86_400_000;

/**
 * Loads the history of bench/reports-history.ts straight into the gateway's tables of an embedded file, with libsql's
 * native API and prepared statements in large transactions: a bench fixture, not the product's write path (which
 * writes each movement in its own atomic unit with its events and idempotency record; here no events are written).
 * What the gateway would have written of each movement lands: the members and their two accounts, the journal row and
 * its two legs, `reversed_points` of what is reversed, the orders of catalogue redemptions, and every account's
 * balance as the legs leave it (so `accounts` equals the fold of `ledger_entries`). The file's migrations and the
 * programs come first, from the API.
 */
export function loadHistory(file: string, options: HistoryOptions, enrolledBy: Map<string, string>) {
  const db = new Database(file);
  db.exec(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144",
  );
  const insertMember = db.prepare(
    `insert into members (id, program_id, external_id, enrolled_by, lifetime_earned, attributes, created_at)
     values (?, ?, ?, ?, 0, '{}', ?)`,
  );
  const insertTransaction = db.prepare(
    `insert into ledger_transactions (id, type, program_id, member_id, partner_id, points, reversed_points,
       balance_after, reference, description, original_transaction_id, expires_at, purchase_amount_minor,
       purchase_currency, channel, store_id, reason, actor, bonus_source, bonus_source_id, parent_transaction_id,
       created_at)
     values (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLeg = db.prepare(
    "insert into ledger_entries (transaction_id, program_id, account_id, amount, created_at) values (?, ?, ?, ?, ?)",
  );
  const addReversed = db.prepare("update ledger_transactions set reversed_points = reversed_points + ? where id = ?");
  const insertRedemption = db.prepare(
    `insert into redemptions (id, program_id, member_id, reward_id, partner_id, fulfilling_partner_id, quantity, points,
       status, transaction_id, created_at, updated_at, fulfilled_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'fulfilled', ?, ?, ?, ?)`,
  );
  const takeBack = db.prepare(
    `update redemptions set status = ?, fulfilled_at = case when ? = 'cancelled' then null else fulfilled_at end,
       cancelled_at = case when ? = 'cancelled' then ? end, returned_at = case when ? = 'returned' then ? end,
       cancel_reason = 'changed my mind', updated_at = ? where id = ?`,
  );
  const ordered = new Map<string, number>();
  let statements = 0;
  const counted = () => {
    statements += 1;
    if (statements % perTransaction === 0) {
      db.exec("COMMIT");
      db.exec("BEGIN");
    }
  };
  db.exec("BEGIN");
  const played = playHistory(options, {
    members(members: readonly HistoryMember[]) {
      for (const member of members) {
        insertMember.run(
          member.id,
          member.programId,
          member.externalId,
          enrolledBy.get(member.programId),
          member.createdAt,
        );
        counted();
      }
    },
    row(row: HistoryRow) {
      insertTransaction.run(
        row.id,
        row.type,
        row.programId,
        row.memberId,
        row.partnerId,
        row.points,
        row.balanceAfter,
        row.reference,
        row.description,
        row.originalTransactionId,
        row.expiresAt,
        row.purchaseAmountMinor,
        row.purchaseCurrency,
        row.channel,
        row.storeId,
        row.reason,
        row.actor,
        row.bonusSource,
        row.bonusSourceId,
        row.parentTransactionId,
        row.createdAt,
      );
      for (const leg of row.legs) insertLeg.run(row.id, row.programId, leg.accountId, leg.amount, row.createdAt);
      counted();
    },
    reversed(id: string, points: number) {
      addReversed.run(points, id);
      counted();
    },
    redemption(r: HistoryRedemption) {
      const fulfilled = r.createdAt + fulfilmentMs;
      insertRedemption.run(
        r.id,
        r.programId,
        r.memberId,
        r.rewardId,
        r.partnerId,
        r.partnerId,
        r.quantity,
        r.points,
        r.transactionId,
        r.createdAt,
        fulfilled,
        fulfilled,
      );
      ordered.set(r.id, r.createdAt);
      counted();
    },
    cancelled(id: string, at: number) {
      const status = at - (ordered.get(id) ?? at) < fulfilmentMs ? "cancelled" : "returned";
      takeBack.run(status, status, status, at, status, at, at, id);
      counted();
    },
  });
  const insertAccount = db.prepare(
    `insert into accounts (id, program_id, kind, member_id, partner_id, balance) values (?, ?, ?, ?, ?, ?)
     on conflict (id) do update set balance = balance + excluded.balance`,
  );
  for (const account of played.accounts)
    insertAccount.run(
      account.id,
      account.programId,
      account.kind,
      account.memberId,
      account.partnerId,
      account.balance,
    );
  const setLifetime = db.prepare("update members set lifetime_earned = ? where id = ?");
  for (const [memberId, points] of played.lifetimeEarned) if (points !== 0) setLifetime.run(points, memberId);
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  return { rows: played.rows, members: played.lifetimeEarned.size, accounts: played.accounts.length };
}
