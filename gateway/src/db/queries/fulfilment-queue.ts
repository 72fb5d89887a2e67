import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { members, programs, redemptions, rewards } from "../schema";
import { type PageQuery, pageBy } from "./pages";

/**
 * A partner's fulfilment queue: the pending orders it must fulfil, those whose `fulfilling_partner_id` is it. That
 * is the reward's fulfilling partner, or the program's owner for a reward without one (the order keeps whoever it
 * was when placed), so a fulfilling partner that does not own the program finds its orders here too, and an owner
 * does not find the orders another partner fulfils. Oldest first: the order to work through them in.
 */
export async function listFulfilmentQueuePage(db: Db, partnerId: string, query: PageQuery) {
  const page = pageBy(redemptions.id, query, "oldest_first");
  const rows = await db
    .select({
      redemption: redemptions,
      externalId: members.externalId,
      program: { id: programs.id, name: programs.name },
      reward: { sku: rewards.sku, name: rewards.name, translations: rewards.translations },
    })
    .from(redemptions)
    .innerJoin(members, eq(members.id, redemptions.memberId))
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .innerJoin(rewards, eq(rewards.id, redemptions.rewardId))
    .where(and(eq(redemptions.status, "pending"), eq(redemptions.fulfillingPartnerId, partnerId), page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}

export type FulfilmentQueueRow = Awaited<ReturnType<typeof listFulfilmentQueuePage>>["data"][number];
