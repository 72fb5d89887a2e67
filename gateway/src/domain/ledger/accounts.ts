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
