import type { Member } from "../members";
import type { TransactionRow } from "./movement";

/** The API shape of a transaction, without `balance_after` (filled in by the write). */
export function transactionBody(
  transaction: TransactionRow & { reversedPoints?: number },
  member: Pick<Member, "externalId">,
) {
  return {
    id: transaction.id,
    type: transaction.type,
    program_id: transaction.programId,
    member_id: transaction.memberId,
    external_id: member.externalId,
    partner_id: transaction.partnerId,
    points: transaction.points,
    reversed_points: transaction.reversedPoints ?? 0,
    reference: transaction.reference,
    description: transaction.description,
    original_transaction_id: transaction.originalTransactionId,
    purchase:
      transaction.purchaseAmountMinor !== null && transaction.purchaseCurrency !== null
        ? { amount_minor: transaction.purchaseAmountMinor, currency: transaction.purchaseCurrency }
        : null,
    expires_at: transaction.expiresAt?.toISOString() ?? null,
    created_at: transaction.createdAt.toISOString(),
  };
}
