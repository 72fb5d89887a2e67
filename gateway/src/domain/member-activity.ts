import { type ActivityKind, activityKinds, listMemberActivityPage } from "../db/queries/member-activity";
import type { PageQuery } from "../db/queries/pages";
import type { Deps } from "../deps";
import type { MemberAccess } from "./access";

export type { ActivityKind, ActivityRecord } from "../db/queries/member-activity";
export { activityKinds };

/**
 * The kinds of a member's activity a partner may see: all of them for the program's owner; the others see no segment
 * joins, since segments are the owner's own configuration (their names included), which only the owner reads.
 */
export const visibleActivityKinds = (access: MemberAccess, partnerId: string): readonly ActivityKind[] =>
  partnerId === access.program.partnerId ? activityKinds : activityKinds.filter((kind) => kind !== "segment_join");

/**
 * A page of the member's activity, newest first: its transactions, redemptions, tier changes, segment joins and
 * touchpoints in one list, narrowed to `kinds` (default all) of those the caller may see.
 */
export function memberActivity(
  deps: Pick<Deps, "reader">,
  access: MemberAccess,
  partnerId: string,
  query: PageQuery & { kinds?: readonly ActivityKind[] },
) {
  const visible = visibleActivityKinds(access, partnerId);
  const kinds = query.kinds ? visible.filter((kind) => query.kinds?.includes(kind)) : visible;
  return listMemberActivityPage(deps.reader, access.member.id, kinds, visible, query);
}
