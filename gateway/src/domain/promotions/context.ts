import {
  earnedBeforeColumn,
  referrerErasedColumn,
  type StandingRow,
  standingsColumn,
  standingsFrom,
} from "../../db/queries/promotion-awards";
import { compileRule, type ReferencedSegment, type Rule } from "../../db/queries/segment-rules";
import type { MemberCondition } from "../../db/queries/segments";
import { listsMember, memberColumns } from "../../db/queries/segments";
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

/** The member's segment conditions, each a column over its row (`memberColumns`), by segment id. */
async function segmentConditions(
  deps: Pick<Deps, "reader" | "clock">,
  input: { programId: string; segmentIds: readonly string[]; known?: SegmentRules },
): Promise<{ id: string; condition: MemberCondition }[]> {
  const { segmentIds } = input;
  if (segmentIds.length === 0) return [];
  const known =
    input.known && segmentIds.every((id) => input.known?.has(id))
      ? input.known
      : await segmentRulesOf(deps.reader, input.programId);
  const now = deps.clock.now();
  return segmentIds.flatMap((id) => {
    const segment = known.get(id);
    if (!segment) return [];
    return [{ id, condition: segment.rule ? compiled(segment, segment.rule, now, known) : listsMember(id) }];
  });
}

/** Rules compiled once per cached set of segments, unless they count days (then at each instant). */
const compiledRules = new WeakMap<ReferencedSegment, MemberCondition>();

function compiled(segment: ReferencedSegment, rule: Rule, now: Date, known: SegmentRules): MemberCondition {
  const cached = compiledRules.get(segment);
  if (cached) return cached;
  const { timed, ...condition } = compileRule(rule, now, known);
  if (!timed) compiledRules.set(segment, condition);
  return condition;
}

const standingOf = (row: StandingRow): Standing => ({
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
  // One statement over the member row: the segments named by audiences in play (static lists by the member's rows,
  // dynamic rules for this member alone; a segment that no longer exists holds nobody), the standings, and for a
  // referral whether the member earned before.
  const asked = await segmentConditions(deps, {
    programId: program.id,
    segmentIds: reads.segmentIds,
    known: input.segments,
  });
  const columns = asked.map((segment) => segment.condition);
  const standingsAt = reads.standings ? columns.push(standingsColumn(memberIds)) - 1 : -1;
  const earnedBeforeAt = referrer ? columns.push(earnedBeforeColumn) - 1 : -1;
  const referrerErasedAt = referrer ? columns.push(referrerErasedColumn) - 1 : -1;
  const values = columns.length > 0 ? await memberColumns(deps.reader, member.id, columns) : [];
  const segments = new Set(asked.filter((_, i) => values[i]).map((segment) => segment.id));
  const rows =
    standingsAt < 0
      ? []
      : standingsFrom(
          values[standingsAt],
          promotions.map((promotion) => promotion.id),
        );
  const standings = new Map(rows.map((row) => [standingKey(row.promotion_id, row.member_id), standingOf(row)]));
  const event =
    input.event.kind === "earn"
      ? { ...input.event, firstEarn: earnedBeforeAt < 0 ? false : !values[earnedBeforeAt] }
      : input.event;
  return {
    context: {
      ...base,
      referrerErased: referrerErasedAt >= 0 && Boolean(values[referrerErasedAt]),
      segments,
      standings,
    },
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
