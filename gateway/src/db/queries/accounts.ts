import type { accounts } from "../schema";
import type { Statement } from "../writer";

/** An account as the first movement through it creates it (db/schema/ledger.ts explains the kinds). */
export type NewAccount = Omit<typeof accounts.$inferInsert, "balance">;

/** Creates the account if it does not exist yet; part of the batch that first moves points through it. */
export const ensureAccount = (account: NewAccount): Statement => ({
  sql: "insert into accounts (id, program_id, kind, member_id, partner_id, balance) values (?, ?, ?, ?, ?, 0) on conflict (id) do nothing",
  args: [account.id, account.programId, account.kind, account.memberId ?? null, account.partnerId ?? null],
});

/** Moves an account's balance; the CHECK on member accounts refuses the whole batch below zero. */
export const addToBalance = (accountId: string, amount: number): Statement => ({
  sql: "update accounts set balance = balance + ? where id = ?",
  args: [amount, accountId],
});

/** Subquery for an account's balance as the batch leaves it. */
export const balanceOf = (accountId: string) => ({
  sql: "select balance from accounts where id = ?",
  args: [accountId],
});
