import { findActivities } from "../../db/queries/tiers";
import type { SqlReader } from "../../db/reader";
import type { Member } from "../members";
import type { Program } from "../programs";
import { type Activity, progressToNext, type TierTable, windowStart } from "./qualify";
import { tierTableOf } from "./table-read";

/** A member's tier as the member object shows it, with what it still needs for the next tier up. */
export type MemberTierView = {
  key: string;
  name: string;
  since: Date;
  heldUntil: Date | null;
  progress: ReturnType<typeof progressToNext>;
};

const noActivity: Activity = { points: 0, purchases: 0, spendMinor: 0 };

/**
 * The tiers of some members of one program, by member id, with one read of the table and one of their activity
 * (members without a tier are left out). Nothing is read for a program without tiers.
 */
export async function memberTiers(
  reader: SqlReader,
  program: Pick<Program, "id" | "tierWindowDays">,
  members: readonly Pick<Member, "id" | "tierKey" | "tierSince" | "tierHeldUntil" | "createdAt">[],
  now: Date,
  known?: TierTable,
): Promise<Map<string, MemberTierView>> {
  const tiered = members.filter((member) => member.tierKey !== null);
  if (program.tierWindowDays === null || tiered.length === 0) return new Map();
  const table = known ?? (await tierTableOf(reader, program.id));
  if (!table) return new Map();
  const activities = await findActivities(
    reader,
    tiered.map((member) => member.id),
    windowStart(table, now),
  );
  const views = new Map<string, MemberTierView>();
  for (const member of tiered) {
    const tier = table.tiers.find((candidate) => candidate.key === member.tierKey);
    if (!tier) continue;
    views.set(member.id, {
      key: tier.key,
      name: tier.name,
      since: member.tierSince ?? member.createdAt,
      heldUntil: member.tierHeldUntil,
      progress: progressToNext(table.tiers, tier.position, activities.get(member.id) ?? noActivity),
    });
  }
  return views;
}
