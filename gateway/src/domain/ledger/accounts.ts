import type { Statement } from "../../db/writer";

/** Account ids of the double-entry ledger (see db/schema/ledger.ts). */
export const accountIds = {
  member: (memberId: string) => memberId,
  memberHold: (memberId: string) => `${memberId}:hold`,
  issuance: (programId: string) => `${programId}:issuance`,
  expired: (programId: string) => `${programId}:expired`,
  redeemed: (programId: string, partnerId: string) => `${programId}:redeemed:${partnerId}`,
  /** Points that left the program in conversions (the program pays for what they bought elsewhere). */
  conversionsOut: (programId: string) => `${programId}:conversions_out`,
  /** Points the program issued in conversions (another program pays for them). */
  conversionsIn: (programId: string) => `${programId}:conversions_in`,
};

export type AccountKind = "member" | "member_hold" | "issuance" | "redeemed" | "expired" | "conversion";
export type AccountSpec = { id: string; programId: string; kind: AccountKind; memberId?: string; partnerId?: string };

/** Creates the account if it does not exist yet; part of the batch that first moves points through it. */
export const ensureAccount = (account: AccountSpec): Statement => ({
  sql: "insert into accounts (id, program_id, kind, member_id, partner_id, balance) values (?, ?, ?, ?, ?, 0) on conflict (id) do nothing",
  args: [account.id, account.programId, account.kind, account.memberId ?? null, account.partnerId ?? null],
});

/** Subquery for an account's balance as the batch leaves it. */
export const balanceOf = (accountId: string) => ({
  sql: "select balance from accounts where id = ?",
  args: [accountId],
});
