import type { TouchpointRow } from "../../db/queries/touchpoints";
import type { Member } from "../members";

export type Touchpoint = TouchpointRow;

/** A touchpoint as the API shows it, wherever it appears (its own routes, the member's activity). */
export function touchpointBody(touchpoint: Touchpoint, member: Pick<Member, "externalId">) {
  return {
    id: touchpoint.id,
    program_id: touchpoint.programId,
    member_id: touchpoint.memberId,
    external_id: member.externalId,
    channel: touchpoint.channel,
    reason: touchpoint.reason,
    direction: touchpoint.direction,
    note: touchpoint.note,
    rating: touchpoint.rating,
    agent: touchpoint.agent,
    recorded_by: touchpoint.recordedBy,
    occurred_at: touchpoint.occurredAt.toISOString(),
    created_at: touchpoint.createdAt.toISOString(),
  };
}
