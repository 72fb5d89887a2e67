import { listFulfilmentQueuePage } from "../../db/queries/fulfilment-queue";
import type { PageQuery } from "../../db/queries/pages";
import type { RedemptionRow } from "../../db/queries/redemptions";
import { findRewardById } from "../../db/queries/rewards";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { findProgram } from "../programs";
import { getRedemption } from "../redemptions/find";
import type { Delivery } from "../redemptions/redemption";
import { rewardOf, type Translations } from "../rewards/reward";

/**
 * What the partner portal shows of redemption orders: the queue of pending orders a partner must fulfil, and one
 * order with what may be done to it. The steps themselves are domain/redemptions/steps.ts's, as the API's.
 */

/** A pending order as the queue shows it. */
export type QueuedOrder = {
  id: string;
  createdAt: Date;
  program: { id: string; name: string };
  externalId: string;
  reward: { sku: string; name: string; translations: Translations };
  quantity: number;
  points: number;
  delivery: Delivery | null;
};

const queuedOrder = (row: {
  redemption: RedemptionRow;
  externalId: string;
  program: { id: string; name: string };
  reward: QueuedOrder["reward"];
}): QueuedOrder => ({
  id: row.redemption.id,
  createdAt: row.redemption.createdAt,
  program: { id: row.program.id, name: row.program.name },
  externalId: row.externalId,
  reward: row.reward,
  quantity: row.redemption.quantity,
  points: row.redemption.points,
  delivery: row.redemption.delivery === null ? null : (JSON.parse(row.redemption.delivery) as Delivery),
});

/**
 * The pending orders `partnerId` fulfils (as the reward's fulfilling partner, or as the program's owner of a reward
 * without one), oldest first: in programs it owns and in others'.
 */
export async function fulfilmentQueue(
  deps: Pick<Deps, "db">,
  partnerId: string,
  query: PageQuery,
): Promise<{ orders: QueuedOrder[]; more: boolean }> {
  const page = await listFulfilmentQueuePage(deps.db, partnerId, query);
  return {
    more: page.has_more,
    orders: page.data.map(({ reward, ...row }) =>
      queuedOrder({ ...row, reward: { ...reward, translations: JSON.parse(reward.translations) as Translations } }),
    ),
  };
}

/** One order, whatever its status, with how it ended (if it did). */
export type PortalOrder = QueuedOrder &
  Pick<
    RedemptionRow,
    "status" | "trackingReference" | "cancelReason" | "fulfilledAt" | "cancelledAt" | "returnedAt"
  > & {
    /** The program's owner and the fulfilling partner fulfil it; the partner that placed it may only cancel it. */
    mayFulfil: boolean;
  };

/** One order for a partner that may see it (the API's rule: its program's owner, its fulfilling partner, the partner that placed it; 404 for others). */
export async function portalOrder(
  deps: Pick<Deps, "db" | "reader">,
  partnerId: string,
  id: string,
): Promise<PortalOrder> {
  const { redemption, externalId, ownerId } = await getRedemption(deps, { partnerId }, id);
  const [program, reward] = await Promise.all([
    findProgram(deps.db, redemption.programId),
    findRewardById(deps.db, redemption.rewardId),
  ]);
  if (!reward) throw new ApiError("not_found", `No reward ${redemption.rewardId}.`);
  const { sku, name, translations } = rewardOf(reward);
  return {
    ...queuedOrder({ redemption, externalId, program, reward: { sku, name, translations } }),
    status: redemption.status,
    trackingReference: redemption.trackingReference,
    cancelReason: redemption.cancelReason,
    fulfilledAt: redemption.fulfilledAt,
    cancelledAt: redemption.cancelledAt,
    returnedAt: redemption.returnedAt,
    mayFulfil: partnerId === ownerId || partnerId === redemption.fulfillingPartnerId,
  };
}
