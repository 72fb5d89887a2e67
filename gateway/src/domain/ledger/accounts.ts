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

/** A member's available-points account, as a leg names it (created on first use). */
export const memberAccount = (programId: string, memberId: string) => ({
  id: accountIds.member(memberId),
  programId,
  kind: "member" as const,
  memberId,
});

/** A member's hold account, as a leg names it: points reserved while a held operation waits for its review. */
export const memberHoldAccount = (programId: string, memberId: string) => ({
  id: accountIds.memberHold(memberId),
  programId,
  kind: "member_hold" as const,
  memberId,
});

/** The account of the points a partner accepted in a program (its burns), as a leg names it. */
export const redeemedAccount = (programId: string, partnerId: string) => ({
  id: accountIds.redeemed(programId, partnerId),
  programId,
  kind: "redeemed" as const,
  partnerId,
});

/** A program's issuance account, as a leg names it: it pays for earns and adjustments, and takes them back. */
export const issuanceAccount = (programId: string) => ({
  id: accountIds.issuance(programId),
  programId,
  kind: "issuance" as const,
});

/** When points credited at `now` expire under the program's expiry (null: they never do). */
export const pointsExpireAt = (program: { pointsExpireAfterDays: number | null }, now: Date): Date | null =>
  program.pointsExpireAfterDays ? new Date(now.getTime() + program.pointsExpireAfterDays * 86_400_000) : null;
