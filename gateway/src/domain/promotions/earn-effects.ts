import {
  addToPointsAwardedStatements,
  assertChallengePaidOrUnreached,
  assertFirstEarn,
  assertPromotionsVersion,
  assertWithinMemberLimits,
  onceCheck,
  type StandingChange,
  upsertStandingsStatements,
  withinBudgetCheck,
} from "../../db/queries/promotion-awards";
import type { ConstraintViolation, Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { StaleWrite } from "../../errors";
import { type BonusLine, bonusPosting } from "../ledger/bonuses";
import type { Posting, TransactionRow } from "../ledger/movement";
import type { Member } from "../members";
import type { OutboxEvent } from "../outbox";
import type { Program } from "../programs";
import { evaluateEvent } from "./context";
import { type Award, type Evaluation, type PromotionContext, standingKey } from "./evaluate";

/** What promotions add to an event's atomic write. */
export type PromotionEffects = {
  /** One bonus transaction per award. */
  bonuses: Posting[];
  /** Run after the postings: exposures, totals, budgets, and the assertions that the plan still holds. */
  statements: Statement[];
  /** `promotion.budget_exhausted`, from the award that reached a budget. */
  events: OutboxEvent[];
  lines: BonusLine[];
};

/**
 * A promotion award's write refused by a CHECK planned around (a budget passed, a one-off paid twice): a concurrent
 * award got there first, so the write is planned again on fresh reads. Pass it to `commitUnit` with the unit.
 */
export const promotionConstraintMeaning = (violation: ConstraintViolation): Error | undefined =>
  violation.constraint === withinBudgetCheck || violation.constraint === onceCheck ? new StaleWrite() : undefined;

/** Each (promotion, member) row the evaluation touches, with everything the event adds to it. */
function standingChanges(evaluation: Evaluation, at: Date): Map<string, StandingChange> {
  const changes = new Map<string, StandingChange>();
  const change = (promotionId: string, memberId: string, group: StandingChange["group"]) => {
    const key = standingKey(promotionId, memberId);
    let found = changes.get(key);
    if (!found) {
      found = {
        promotionId,
        memberId,
        group,
        at,
        points: 0,
        awards: 0,
        challengeEarns: 0,
        challengeSpendMinor: 0,
        once: false,
      };
      changes.set(key, found);
    }
    return found;
  };
  for (const { promotion, memberId, group } of evaluation.exposures) change(promotion.id, memberId, group);
  // A step's row is its exposure's, already in its group.
  for (const { promotion, memberId, earns, spendMinor } of evaluation.progress) {
    const found = change(promotion.id, memberId, "treatment");
    found.challengeEarns += earns;
    found.challengeSpendMinor += spendMinor;
  }
  for (const award of evaluation.awards) {
    const found = change(award.promotion.id, award.recipientMemberId, award.group);
    found.points += award.points;
    found.awards += 1;
    found.once ||= award.once;
  }
  return changes;
}

/**
 * The statements, events, postings and response lines of an evaluation, for any event's write: `posting` makes the
 * bonus transaction of an award (from its cause). In order: the promotions version planned on, each promotion's
 * budget used (refused if it reaches the budget unless this write planned to reach it), each member row in its group
 * (asserting the member limits and, for a challenge step planned short of the target, that the target is still not
 * reached or already paid: the once CHECK refuses a second payment), and for a referral that the earn is the member's
 * first. Nothing at all when the evaluation writes nothing.
 */
export function evaluationWrites(
  deps: Pick<Deps, "ids">,
  input: {
    program: Program;
    version: number;
    context: PromotionContext;
    evaluation: Evaluation;
    at: Date;
    posting: (award: Award, id: string) => Posting;
  },
): PromotionEffects | undefined {
  const { program, context, evaluation, at } = input;
  const changes = standingChanges(evaluation, at);
  if (changes.size === 0) return undefined;
  const statements: Statement[] = [assertPromotionsVersion(program.id, input.version)];
  const events: OutboxEvent[] = [];
  const awarded = new Map<string, { award: Award; points: number; exhausts: boolean }>();
  for (const award of evaluation.awards) {
    const total = awarded.get(award.promotion.id) ?? { award, points: 0, exhausts: false };
    total.points += award.points;
    total.exhausts ||= award.exhaustsBudget;
    awarded.set(award.promotion.id, total);
  }
  statements.push(
    ...addToPointsAwardedStatements(
      [...awarded.values()].map(({ award, points, exhausts }) => ({
        promotionId: award.promotion.id,
        points,
        exhaustedAt: exhausts ? at : null,
      })),
    ),
  );
  for (const { award, exhausts } of awarded.values()) {
    const { promotion } = award;
    if (exhausts)
      events.push({
        id: deps.ids("evt"),
        partnerId: program.partnerId,
        type: "promotion.budget_exhausted",
        data: {
          program_id: program.id,
          promotion_id: promotion.id,
          budget_points: promotion.budgetPoints,
          points_awarded: promotion.budgetPoints,
        },
        at,
      });
  }
  const promotions = new Map(evaluation.exposures.map(({ promotion }) => [promotion.id, promotion]));
  for (const award of evaluation.awards) promotions.set(award.promotion.id, award.promotion);
  // Every row first, then what must hold of them.
  statements.push(...upsertStandingsStatements([...changes.values()]));
  for (const change of changes.values()) {
    const promotion = promotions.get(change.promotionId);
    const limited = promotion && (promotion.maxPointsPerMember !== null || promotion.maxAwardsPerMember !== null);
    if (change.awards > 0 && limited) statements.push(assertWithinMemberLimits(change.promotionId, change.memberId));
  }
  // A step planned not to reach a challenge's target must not reach it unpaid (concurrent earns of the member did).
  for (const { promotion, memberId, completes } of evaluation.progress)
    if (!completes && changes.get(standingKey(promotion.id, memberId))?.group === "treatment")
      statements.push(assertChallengePaidOrUnreached(promotion.id, memberId, promotion.challenge ?? {}));
  if (evaluation.awards.some((award) => award.promotion.trigger === "referral"))
    statements.push(assertFirstEarn(context.member.id));

  const bonuses = evaluation.awards.map((award) => input.posting(award, deps.ids("txn")));
  const lines = bonuses.map(
    ({ transaction }): BonusLine => ({
      transaction_id: transaction.id,
      source: "promotion",
      source_id: transaction.bonusSourceId as string,
      points: transaction.points,
    }),
  );
  return { bonuses, statements, events, lines };
}

/**
 * Plans what the program's promotions do to an earn, in the earn's atomic write: each award a bonus transaction
 * (source `promotion`, parent the earn; a referrer's to the referrer), the exposures and per-member totals, the
 * budgets used, and `promotion.budget_exhausted` from the award that reached a budget. The first plan is optimistic:
 * the program's active promotions as last read (by `promotions_version`, from the request's access read, so a
 * program without promotions reads nothing); a refused write (`StaleWrite`: a budget or member limit overtaken, a
 * one-off paid concurrently, the promotions changed) plans again with `fresh` reads. Undefined when promotions
 * write nothing.
 */
export async function earnPromotionEffects(
  deps: Pick<Deps, "reader" | "clock" | "ids">,
  input: { program: Program; member: Member; earn: TransactionRow; partnerId: string },
  /** Plan from fresh reads rather than optimistically: a write planned before was refused. */
  fresh: boolean,
): Promise<PromotionEffects | undefined> {
  const { program, member, earn } = input;
  const evaluated = await evaluateEvent(
    deps,
    {
      program,
      member,
      event: {
        kind: "earn",
        at: earn.createdAt,
        partnerId: input.partnerId,
        channel: earn.channel ?? null,
        points: earn.points,
        amountMinor: earn.purchaseAmountMinor,
        firstEarn: false,
      },
    },
    fresh,
  );
  if (!evaluated) return undefined;
  return evaluationWrites(deps, {
    ...evaluated,
    program,
    at: earn.createdAt,
    posting: (award, id) =>
      bonusPosting(earn, program, {
        id,
        source: "promotion",
        sourceId: award.promotion.id,
        points: award.points,
        memberId: award.recipientMemberId,
      }),
  });
}
