import { listMemberActivitiesPage } from "../../db/queries/activities";
import { listMemberConversionDetails } from "../../db/queries/conversions";
import { listFraudEventsPage } from "../../db/queries/fraud";
import { listMemberTransactionsPage } from "../../db/queries/ledger";
import type { PageQuery } from "../../db/queries/pages";
import {
  listMemberEvents,
  listMemberSessionTimes,
  listPromotionExposures,
  listReferredMembers,
  listTierChanges,
} from "../../db/queries/privacy";
import { listMemberTouchpointsPage } from "../../db/queries/touchpoints";
import { listMemberTransferDetails } from "../../db/queries/transfers";
import type { Deps } from "../../deps";
import { conversionBody } from "../conversions/present";
import { memberDetails } from "../members";
import type { Caller } from "../programs";
import { listMemberRedemptions } from "../redemptions/find";
import { memberSegments } from "../segments/membership";
import { transferBody } from "../transfers/transfer";
import { managedMember } from "./managed-member";

/** The values of an object's promises, awaited together, under the same names. */
async function together<T extends Record<string, Promise<unknown>>>(promises: T) {
  const entries = await Promise.all(Object.entries(promises).map(async ([name, value]) => [name, await value]));
  return Object.fromEntries(entries) as { [K in keyof T]: Awaited<T[K]> };
}

/** Every page of a newest-first list, read a hundred at a time. */
async function everyPage<T extends { id: string }>(
  list: (query: PageQuery) => Promise<{ data: T[]; has_more: boolean }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let query: PageQuery = { limit: 100 }; ; ) {
    const page = await list(query);
    all.push(...page.data);
    const last = page.data.at(-1);
    if (!page.has_more || !last) return all;
    query = { limit: 100, starting_after: last.id };
  }
}

/**
 * Everything the gateway holds about one member of a program the caller manages, for a data subject's access
 * request: the member with its balance, cards, tier and RFM scores, and every record of it (transactions, orders,
 * transfers and conversions on either side, tier changes, segments, promotion exposures and challenge progress,
 * activities, the members it referred, touchpoints, hosted page sessions, fraud decisions, and the program owner's
 * events about it), newest first. An erased member's shows what the erase left.
 */
export async function exportMember(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  externalId: string,
) {
  const access = await managedMember(deps, caller, programId, externalId);
  const { program, member } = access;
  const records = await together({
    details: memberDetails(deps, access),
    transactions: everyPage((query) => listMemberTransactionsPage(deps.db, member.id, query)),
    redemptions: everyPage(async (query) => {
      const page = await listMemberRedemptions(deps, member.id, query);
      return { ...page, data: page.data.map((redemption) => ({ ...redemption, id: redemption.redemption.id })) };
    }),
    transfers: listMemberTransferDetails(deps.reader, member.id),
    conversions: listMemberConversionDetails(deps.reader, member.id),
    tierChanges: listTierChanges(deps.db, member.id),
    segments: memberSegments(deps, caller, program.id, member.externalId),
    exposures: listPromotionExposures(deps.db, member.id),
    activities: everyPage((query) => listMemberActivitiesPage(deps.db, member.id, query)),
    referrals: listReferredMembers(deps.db, member.id),
    touchpoints: everyPage((query) => listMemberTouchpointsPage(deps.reader, member.id, {}, query)),
    sessions: listMemberSessionTimes(deps.db, program.id, member.externalId),
    fraudEvents: everyPage((query) => listFraudEventsPage(deps.db, { ...query, member_id: member.id })),
    events: listMemberEvents(deps.reader, program.partnerId, member),
  });
  return {
    ...records,
    exportedAt: deps.clock.now(),
    program,
    member,
    transfers: records.transfers.map((found) => ({
      body: transferBody(found.transfer, found.sides, found.balances),
      sent: found.transfer.fromMemberId === member.id,
    })),
    conversions: records.conversions.map((found) => ({
      body: conversionBody(found.conversion, found.rate, found.sides, found.failureReason),
      out: found.conversion.fromMemberId === member.id,
    })),
  };
}

export type MemberExport = Awaited<ReturnType<typeof exportMember>>;
