import type { Member } from "../members";
import type { TransactionRow } from "./movement";

/**
 * A transaction as the API shows it, without `balance_after` (filled in by the write). `points` is a magnitude
 * whose direction the type says, except for an adjustment, which can go either way: its `points` are signed as
 * they were asked for (negative: a debit). The journal stores magnitudes, so a read says `debit` from the
 * member's entry (db/queries/ledger.ts).
 */
export function transactionBody(
  transaction: TransactionRow & { reversedPoints?: number; debit?: boolean },
  member: Pick<Member, "externalId">,
) {
  return {
    id: transaction.id,
    type: transaction.type,
    program_id: transaction.programId,
    member_id: transaction.memberId,
    external_id: member.externalId,
    partner_id: transaction.partnerId,
    points: transaction.type === "adjustment" && transaction.debit ? -transaction.points : transaction.points,
    reversed_points: transaction.reversedPoints ?? 0,
    reference: transaction.reference,
    description: transaction.description,
    original_transaction_id: transaction.originalTransactionId,
    purchase:
      transaction.purchaseAmountMinor !== null && transaction.purchaseCurrency !== null
        ? { amount_minor: transaction.purchaseAmountMinor, currency: transaction.purchaseCurrency }
        : null,
    expires_at: transaction.expiresAt?.toISOString() ?? null,
    channel: transaction.channel ?? null,
    store_id: transaction.storeId ?? null,
    reason: transaction.reason ?? null,
    actor: transaction.actor ?? null,
    bonus:
      transaction.bonusSource && transaction.bonusSourceId
        ? { source: transaction.bonusSource, source_id: transaction.bonusSourceId }
        : null,
    parent_transaction_id: transaction.parentTransactionId ?? null,
    created_at: transaction.createdAt.toISOString(),
  };
}
