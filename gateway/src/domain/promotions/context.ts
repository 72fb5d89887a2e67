import { findReferralFacts, findStandings } from "../../db/queries/promotion-awards";
import { compileRule } from "../../db/queries/segment-rules";
import { listsMember, memberMeets } from "../../db/queries/segments";
import type { Deps } from "../../deps";
import type { Member } from "../members";
import type { Program } from "../programs";
import { freshActivePromotions, recentActivePromotions, type SegmentRules, segmentRulesOf } from "./active";
import type { Promotion } from "./definition";
import {
  type Evaluation,
  evaluatePromotions,
  type PromotionContext,
  type PromotionEvent,
  readsFor,
  type Standing,
  standingKey,
} from "./evaluate";

/** What `evaluatePromotions` is given for one event, read as `readsFor` asks. */
export type EvaluationInput = {
  context: PromotionContext;
  /** The event, with whether an earn is the member's first filled in. */
  event: PromotionEvent;
};

/**
 * Which of `segmentIds` the member is in now: static lists by its rows, dynamic rules evaluated for this member
 * alone, in one query. `known` are the program's segments as the cached set read them; without them (or when an id
 * is not among them) they are read now. A segment that no longer exists holds nobody.
 */
async function memberInSegments(
  deps: Pick<Deps, "reader" | "clock">,
  input: { programId: string; memberId: string; segmentIds: readonly string[]; known?: SegmentRules },
): Promise<Set<string>> {
  const { segmentIds } = input;
  if (segmentIds.length === 0) return new Set();
  const known =
    input.known && segmentIds.every((id) => input.known?.has(id))
      ? input.known
      : await segmentRulesOf(deps.reader, input.programId);
  const now = deps.clock.now();
  const asked = segmentIds.flatMap((id) => {
    const segment = known.get(id);
    if (!segment) return [];
    return [{ id, condition: segment.rule ? compileRule(segment.rule, now, known) : listsMember(id) }];
  });
  const meets = await memberMeets(
    deps.reader,
    input.memberId,
    asked.map((segment) => segment.condition),
  );
  return new Set(asked.filter((_, i) => meets[i]).map((segment) => segment.id));
}

const standingOf = (row: Awaited<ReturnType<typeof findStandings>>[number]): Standing => ({
  pointsAwarded: row.points_awarded,
  awards: row.awards,
  challengeEarns: row.challenge_earns,
  challengeSpendMinor: row.challenge_spend_minor,
  onceAwarded: row.once_awarded > 0,
});

/**
 * Reads what the evaluation of `event` needs and nothing more (`readsFor`): the member's membership of only the
 * segments audiences in play name, its `promotion_members` rows where limits, challenges or one-offs depend on
 * them, and for a referred member whether it earned before and its referrer's rows; all at once. For an earn
 * before its write, "first earn" means no earn transaction yet; the write asserts it still holds.
 */
export async function evaluationInput(
  deps: Pick<Deps, "reader" | "clock">,
  input: {
    program: Program;
    member: Member;
    promotions: readonly Promotion[];
    event: PromotionEvent;
    /** The program's segments as the promotions were read with them; read now if absent. */
    segments?: SegmentRules;
  },
): Promise<EvaluationInput> {
  const { program, member, promotions } = input;
  const base = {
    programTimeZone: program.timezone,
    member: { id: member.id, tierKey: member.tierKey, referredByMemberId: member.referredByMemberId },
  };
  const reads = readsFor(promotions, base, input.event);
  const referrer = reads.referral ? member.referredByMemberId : null;
  const memberIds = referrer ? [member.id, referrer] : [member.id];
  const [segments, rows, referral] = await Promise.all([
    memberInSegments(deps, {
      programId: program.id,
      memberId: member.id,
      segmentIds: reads.segmentIds,
      known: input.segments,
    }),
    reads.standings
      ? findStandings(
          deps.reader,
          memberIds,
          promotions.map((promotion) => promotion.id),
        )
      : [],
    referrer ? findReferralFacts(deps.reader, member.id) : undefined,
  ]);
  const standings = new Map(rows.map((row) => [standingKey(row.promotion_id, row.member_id), standingOf(row)]));
  const event =
    input.event.kind === "earn"
      ? { ...input.event, firstEarn: referral ? !referral.earnedBefore : false }
      : input.event;
  return {
    context: { ...base, segments, standings },
    event,
  };
}

/** An event evaluated against the program's active promotions, with what it was decided on. */
export type EvaluatedEvent = EvaluationInput & { version: number; evaluation: Evaluation };

/**
 * Evaluates an event of a member against the program's active promotions for its write: the set as last read
 * (`recentActivePromotions`) on a first plan, read anew when a write planned before was refused (`fresh`), then what
 * the evaluation needs (`evaluationInput`). Undefined when the program has no active promotion.
 */
export async function evaluateEvent(
  deps: Pick<Deps, "reader" | "clock">,
  input: { program: Program; member: Member; event: PromotionEvent },
  fresh: boolean,
): Promise<EvaluatedEvent | undefined> {
  const { program } = input;
  const active = fresh
    ? await freshActivePromotions(deps.reader, program.id)
    : await recentActivePromotions(deps.reader, program);
  if (active.promotions.length === 0) return undefined;
  const read = await evaluationInput(deps, { ...input, promotions: active.promotions, segments: active.segments });
  return {
    ...read,
    version: active.version,
    evaluation: evaluatePromotions(active.promotions, read.context, read.event),
  };
}
