import type { Activity } from "../db/queries/activities";

/** An activity's own fields as the API shows them (the answer to recording it adds what it paid). */
export const activityBody = (activity: Activity, externalId: string) => ({
  id: activity.id,
  program_id: activity.programId,
  external_id: externalId,
  type: activity.type,
  reference: activity.reference,
  created_at: activity.createdAt.toISOString(),
});
