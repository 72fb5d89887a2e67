import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { activities } from "../schema";
import type { Statement } from "../writer";
import { both, type PageQuery, pageBy } from "./pages";

export type Activity = typeof activities.$inferSelect;

/**
 * Records an activity. The unique index `activities_one_per_reference` refuses the same (member, type, reference)
 * a second time, and with it the whole write: an action reported twice pays nothing twice.
 */
export const insertActivityStatement = (activity: Activity): Statement => ({
  sql: `insert into activities (id, program_id, member_id, partner_id, type, reference, created_at)
        values (?, ?, ?, ?, ?, ?, ?)`,
  args: [
    activity.id,
    activity.programId,
    activity.memberId,
    activity.partnerId,
    activity.type,
    activity.reference,
    activity.createdAt.getTime(),
  ],
});

/** Whether a unique violation's constraint is `activities_one_per_reference` (SQLite names its columns). */
export const isActivityReferenceTaken = (constraint: string) => constraint.startsWith("activities.");

/** A page of a member's activities, newest first. */
export async function listMemberActivitiesPage(db: Db, memberId: string, query: PageQuery) {
  const page = pageBy(activities.id, query);
  const rows = await db
    .select()
    .from(activities)
    .where(both(eq(activities.memberId, memberId), page.where))
    .orderBy(page.orderBy)
    .limit(page.fetch);
  return page.page(rows);
}
