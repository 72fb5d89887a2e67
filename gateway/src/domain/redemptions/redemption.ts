import type { RedemptionRow, RedemptionStatus, StoredRedemption } from "../../db/queries/redemptions";
import { ApiError } from "../../errors";
import type { Caller } from "../programs";

export type { RedemptionStatus };

/** Where a product is sent: stored as sent, for the fulfilling partner. */
export type Delivery = {
  name: string;
  address_lines: string[];
  city: string;
  postal_code: string;
  country: string;
  phone?: string;
};

/** A redemption as the domain answers it: the stored order, its member, its reward, and the codes it holds. */
export type Redemption = StoredRedemption & { codes: string[] };

/**
 * A redemption as the API shows it (and as its events carry it). `codes` only on a fulfilled `code` reward's order:
 * a held order's reserved codes are not shown, and a rejected one's were voided.
 */
export function redemptionBody(r: Pick<Redemption, "redemption" | "externalId" | "reward" | "codes">) {
  const d: RedemptionRow = r.redemption;
  return {
    id: d.id,
    status: d.status,
    program_id: d.programId,
    reward_id: d.rewardId,
    member_id: d.memberId,
    external_id: r.externalId,
    quantity: d.quantity,
    points: d.points,
    transaction_id: d.transactionId,
    partner_id: d.partnerId,
    fulfilling_partner_id: d.fulfillingPartnerId,
    review_id: d.reviewId,
    ...(r.reward.fulfilment === "code" && d.status === "fulfilled" && { codes: r.codes }),
    delivery: d.delivery === null ? null : (JSON.parse(d.delivery) as Delivery),
    tracking_reference: d.trackingReference,
    cancel_reason: d.cancelReason,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
    fulfilled_at: d.fulfilledAt?.toISOString() ?? null,
    cancelled_at: d.cancelledAt?.toISOString() ?? null,
    returned_at: d.returnedAt?.toISOString() ?? null,
  };
}

export type RedemptionBody = ReturnType<typeof redemptionBody>;

/** The partners told of a redemption's events, each once: the program's owner, the ordering and the fulfilling partner. */
export const redemptionRecipients = (r: Pick<StoredRedemption, "redemption" | "ownerId">): string[] => [
  ...new Set([r.ownerId, r.redemption.partnerId, r.redemption.fulfillingPartnerId]),
];

/** What a caller does to a redemption. */
export type RedemptionStep = "read" | "fulfil" | "cancel" | "return";

/**
 * Who may do what to a redemption: the operator, the program's owner and the fulfilling partner everything; the
 * partner that placed the order may read it and cancel it (while pending). Anyone else gets 404, as if it did not
 * exist; the ordering partner asking to fulfil or return it, 403.
 */
export function ensureMay(caller: Caller, stored: StoredRedemption, step: RedemptionStep): void {
  const { partnerId } = caller;
  const { redemption } = stored;
  if (partnerId === null || partnerId === stored.ownerId || partnerId === redemption.fulfillingPartnerId) return;
  if (partnerId !== redemption.partnerId) throw new ApiError("not_found", `No redemption ${redemption.id}.`);
  if (step === "fulfil" || step === "return")
    throw new ApiError(
      "forbidden",
      `Only the program's owner or the fulfilling partner may ${step} redemption ${redemption.id}; you placed it, so you may cancel it while it is pending.`,
    );
}
