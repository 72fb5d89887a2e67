import { balanceOf } from "../db/queries/accounts";
import { type Activity, insertActivityStatement, isActivityReferenceTaken } from "../db/queries/activities";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import type { MemberAccess } from "./access";
import { accountIds } from "./ledger/accounts";
import { type CommittedResponse, commitUnit, type IdempotencyRecord, retryingStaleWrites } from "./ledger/movement";
import { ensureNotErased } from "./privacy/erased";
import { ensureOpen } from "./programs";
import { promotionConstraintMeaning } from "./promotions/earn-effects";
import { eventPromotionEffects } from "./promotions/event-effects";

/** An activity's own fields as the API shows them (the answer to recording it adds what it paid). */
export const activityBody = (activity: Activity, externalId: string) => ({
  id: activity.id,
  program_id: activity.programId,
  external_id: externalId,
  type: activity.type,
  reference: activity.reference,
  created_at: activity.createdAt.toISOString(),
});

/**
 * Records a member's non-purchase action (`POST /v1/activities`) and pays the program's `activity` promotions that
 * list its type, in one atomic write with an `activity.recorded` event to the reporting partner and the program's
 * owner and the idempotency record. The same (member, type, reference) twice is 409 `conflict`, writing nothing
 * (the unique index decides, so two concurrent reports cannot both pay). A closed program, or an erased member, takes
 * none (409 `invalid_state`). Each award is a bonus transaction whose `reference` is the activity's id.
 */
export async function recordActivity(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">,
  input: { access: Pick<MemberAccess, "program" | "member">; partnerId: string; type: string; reference: string },
  idempotency?: IdempotencyRecord,
): Promise<CommittedResponse> {
  const { program, member } = input.access;
  ensureOpen(program);
  ensureNotErased(member);
  let planned = false;
  return retryingStaleWrites(async () => {
    // A write planned again was refused for stale facts: read the promotions anew.
    const fresh = planned;
    planned = true;
    const activity: Activity = {
      id: deps.ids("act"),
      programId: program.id,
      memberId: member.id,
      partnerId: input.partnerId,
      type: input.type,
      reference: input.reference,
      createdAt: deps.clock.now(),
    };
    const promotions = await eventPromotionEffects(
      deps,
      {
        program,
        member,
        event: {
          kind: "activity",
          activityType: activity.type,
          at: activity.createdAt,
          partnerId: input.partnerId,
          channel: null,
        },
        reference: activity.id,
      },
      fresh,
    );
    const bonuses = promotions?.bonuses ?? [];
    const body = {
      ...activityBody(activity, member.externalId),
      bonus_points: bonuses.reduce((sum, bonus) => sum + bonus.transaction.points, 0),
      bonuses: promotions?.lines ?? [],
      balance_after: 0,
    };
    return commitUnit(
      deps.writer,
      {
        postings: bonuses,
        guards: [insertActivityStatement(activity)],
        effects: promotions?.statements,
        events: [
          ...[...new Set([input.partnerId, program.partnerId])].map((partnerId) => ({
            id: deps.ids("evt"),
            partnerId,
            type: "activity.recorded" as const,
            at: activity.createdAt,
          })),
          ...(promotions?.events ?? []),
        ],
        body,
        // The member's balance as the write leaves it, with the bonuses.
        bodyPatches: [{ path: "$.balance_after", ...balanceOf(accountIds.member(member.id)) }],
        status: 201,
        idempotency,
        at: activity.createdAt,
        // Its bonuses are the member's earning: an erase racing the report must not let them in after it.
        notErased: [member.id],
      },
      (violation) =>
        violation.kind === "unique" && isActivityReferenceTaken(violation.constraint)
          ? new ApiError(
              "conflict",
              `Activity ${input.type} ${input.reference} of member ${member.externalId} is already recorded.`,
            )
          : promotionConstraintMeaning(violation),
    );
  });
}
