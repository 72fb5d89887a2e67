import type { Deps } from "../../deps";
import { pointsExpireAt } from "../ledger/accounts";
import { bonusPosting } from "../ledger/bonuses";
import type { Member } from "../members";
import type { Program } from "../programs";
import { evaluateEvent } from "./context";
import { evaluationWrites, type PromotionEffects } from "./earn-effects";
import type { PromotionEvent } from "./evaluate";

/** An event that is no transaction of its own: a member joining, or an action it took. */
export type OwnEvent = Extract<PromotionEvent, { kind: "enrolment" } | { kind: "activity" }>;

/**
 * Plans what the program's promotions do to an enrolment or an activity, in that event's atomic write, exactly as an
 * earn's (./earn-effects.ts): the same active set (optimistic first, `fresh` after a refused write), the same reads,
 * evaluation and writes. Each award is a bonus transaction with no parent (the event is not a transaction), its
 * `reference` the event's (`enrolment`, or the activity's id), expiring as an earn made then would. Undefined when
 * promotions write nothing.
 */
export async function eventPromotionEffects(
  deps: Pick<Deps, "reader" | "clock" | "ids">,
  input: { program: Program; member: Member; event: OwnEvent; reference: string },
  /** Plan from fresh reads rather than optimistically: a write planned before was refused. */
  fresh: boolean,
): Promise<PromotionEffects | undefined> {
  const { program, member, event } = input;
  const evaluated = await evaluateEvent(deps, { program, member, event }, fresh);
  if (!evaluated) return undefined;
  const cause = {
    id: null,
    memberId: member.id,
    reference: input.reference,
    expiresAt: pointsExpireAt(program, event.at),
    createdAt: event.at,
  };
  return evaluationWrites(deps, {
    ...evaluated,
    program,
    at: event.at,
    posting: (award, id) =>
      bonusPosting(cause, program, { id, source: "promotion", sourceId: award.promotion.id, points: award.points }),
  });
}
