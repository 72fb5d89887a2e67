import { insertTouchpointStatement } from "../../db/queries/touchpoints";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import type { MemberAccess } from "../access";
import { type CommittedResponse, commitUnit, type IdempotencyRecord } from "../ledger/movement";
import type { Member } from "../members";
import { ensureNotErased } from "../privacy/erased";
import type { Touchpoint } from "./touchpoint";

/**
 * How far past now a contact may be dated: a partner's clock a little ahead of ours is not an error, a contact
 * that has not happened yet is.
 */
const aheadToleranceMs = 5 * 60_000;

/** What a partner says of a contact; `occurredAt` defaults to now. */
export type TouchpointInput = Pick<Touchpoint, "channel" | "reason" | "direction"> &
  Partial<Pick<Touchpoint, "note" | "rating" | "agent" | "occurredAt">>;

/**
 * Records a contact with a member (a call, an email, a visit) as the calling partner tells it: the touchpoint and the
 * idempotency record in one atomic write, answering 201 with the touchpoint as presented. A contact dated more than
 * five minutes after now (business time) is refused, 400 at `occurred_at`; an erased member's, 409 `invalid_state`
 * (checked again inside the write, against an erase racing it).
 */
export async function recordTouchpoint(
  deps: Pick<Deps, "writer" | "clock" | "ids">,
  access: MemberAccess,
  partnerId: string,
  input: TouchpointInput,
  present: (touchpoint: Touchpoint, member: Member) => unknown,
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { member } = access;
  ensureNotErased(member);
  const now = deps.clock.now();
  const latest = new Date(now.getTime() + aheadToleranceMs);
  if (input.occurredAt && input.occurredAt > latest)
    throw new ApiError("validation_failed", "occurred_at is in the future.", {
      errors: [{ path: "occurred_at", message: `must not be after ${latest.toISOString()} (five minutes from now)` }],
    });
  const touchpoint: Touchpoint = {
    id: deps.ids("tpt"),
    programId: member.programId,
    memberId: member.id,
    channel: input.channel,
    reason: input.reason,
    direction: input.direction,
    note: input.note ?? null,
    rating: input.rating ?? null,
    agent: input.agent ?? null,
    recordedBy: partnerId,
    occurredAt: input.occurredAt ?? now,
    createdAt: now,
  };
  return commitUnit(deps.writer, {
    postings: [],
    guards: [insertTouchpointStatement(touchpoint)],
    events: [],
    body: present(touchpoint, member) as Record<string, unknown>,
    status: 201,
    idempotency,
    at: now,
    // An erase committed since the member was read refuses the write too.
    notErased: [member.id],
  });
}
