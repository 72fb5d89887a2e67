import { type Group, groupOf } from "./control-group";
import { type Audience, isOneOff, type Promotion } from "./definition";
import { cutTo, maxAwardPoints, rewardPoints } from "./reward";
import { inSchedule } from "./schedule";

/**
 * What happened to the member, as promotions see it. `earn` is an earn (its own points, not its tier bonuses, and
 * its purchase amount); `enrolment` a member joining; `activity` a non-purchase action of `activityType`.
 * `partnerId` is the partner acting (earning, enrolling, reporting), `channel` where, if said.
 */
export type PromotionEvent = { at: Date; partnerId: string; channel: string | null } & (
  | {
      kind: "earn";
      points: number;
      amountMinor: number | null;
      /** The member has no earlier earn: a referral pays on this one. */
      firstEarn: boolean;
    }
  | { kind: "enrolment" }
  | { kind: "activity"; activityType: string }
);

/** What a promotion paid a member so far, and its challenge progress: the member's `promotion_members` row. */
export type Standing = {
  pointsAwarded: number;
  awards: number;
  challengeEarns: number;
  challengeSpendMinor: number;
  onceAwarded: boolean;
};

/** Where `standings` keeps a member's row of a promotion. */
export const standingKey = (promotionId: string, memberId: string): string => `${promotionId}:${memberId}`;

/** What the evaluation knows besides the promotions and the event, all read before it. */
export type PromotionContext = {
  /** Places schedules that name no time zone of their own. */
  programTimeZone: string;
  /** The member as it is before the event: its tier then, and who referred it. */
  member: { id: string; tierKey: string | null; referredByMemberId: string | null };
  /** Of the segments `readsFor` asked about, those the member is in now. */
  segments: ReadonlySet<string>;
  /** The rows `readsFor` asked for (the member's, and for a referral the referrer's), by `standingKey`; none: 0. */
  standings: ReadonlyMap<string, Standing>;
};

/** Why a promotion paid nothing on this event, checked in this order (`exclusive` extends the contract's list). */
export type SkipReason =
  | "outside_schedule"
  | "not_in_audience"
  | "condition"
  | "control_group"
  | "budget_exhausted"
  | "member_limit"
  | "exclusive";

/** Points a promotion pays a member on this event (never 0). */
export type Award = {
  promotion: Promotion;
  recipientMemberId: string;
  points: number;
  group: Group;
  /** A one-off (challenge completed, referral, enrolment): the recipient's row records it once (`once_awarded`). */
  once: boolean;
  /** This award takes the promotion's `points_awarded` exactly to its budget: it ends the budget. */
  exhaustsBudget: boolean;
};

/** A member met schedule, audience and conditions: its row exists from now, in its group. */
export type Exposure = { promotion: Promotion; memberId: string; group: Group };

/** A qualifying earn's step in a challenge (control members progress too), and whether it reaches the target. */
export type Progress = { promotion: Promotion; memberId: string; earns: 1; spendMinor: number; completes: boolean };

export type Evaluation = {
  awards: Award[];
  exposures: Exposure[];
  progress: Progress[];
  skipped: { promotion_id: string; reason: SkipReason }[];
};

/** The triggers an event kind can set off. */
const triggered = (promotion: Promotion, event: PromotionEvent, context: PromotionContext): boolean => {
  switch (event.kind) {
    case "earn":
      if (promotion.trigger === "referral") return event.firstEarn && context.member.referredByMemberId !== null;
      return promotion.trigger === "earn" || promotion.trigger === "challenge";
    case "enrolment":
      return promotion.trigger === "enrolment";
    case "activity":
      return promotion.trigger === "activity" && (promotion.activityTypes ?? []).includes(event.activityType);
  }
};

/** Priority first (a larger number wins), then the older. */
export const byPrecedence = (a: Promotion, b: Promotion): number =>
  b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The promotions the event sets off that apply at its time, in precedence order. */
function inPlay(promotions: readonly Promotion[], context: PromotionContext, event: PromotionEvent) {
  return [...promotions]
    .filter((promotion) => triggered(promotion, event, context))
    .sort(byPrecedence)
    .map((promotion) => ({ promotion, scheduled: inSchedule(promotion, event.at, context.programTimeZone) }));
}

/**
 * What must be read before `evaluatePromotions` can decide this event: the segments that audiences of promotions in
 * play name (only those are checked for the member), whether the member's `promotion_members` rows matter (member
 * limits, a challenge's progress, a one-off; never for an enrolment), and whether a referral may be in play (the
 * member was referred: then whether this is its first earn, and the referrer's rows). Nothing when no promotion is
 * in play, which keeps an earn in a program without promotions at its plain cost.
 */
export function readsFor(
  promotions: readonly Promotion[],
  context: Pick<PromotionContext, "programTimeZone" | "member">,
  event: PromotionEvent,
): { segmentIds: string[]; standings: boolean; referral: boolean } {
  const segmentIds = new Set<string>();
  let standings = false;
  let referral = false;
  const full = { ...context, segments: new Set<string>(), standings: new Map() };
  // Whether this is the member's first earn is one of the reads: ask as if it were.
  const asked = event.kind === "earn" ? { ...event, firstEarn: true } : event;
  for (const { promotion, scheduled } of inPlay(promotions, full, asked)) {
    if (!scheduled) continue;
    for (const id of promotion.audience?.segments ?? []) segmentIds.add(id);
    // A member enrolling has no rows yet.
    const limited = promotion.maxAwardsPerMember !== null || promotion.maxPointsPerMember !== null;
    if (event.kind !== "enrolment" && (isOneOff(promotion) || limited)) standings = true;
    if (promotion.trigger === "referral") referral = true;
  }
  return { segmentIds: [...segmentIds], standings, referral };
}

/** Whether a member (and the event's partner and channel) is in the audience; an absent list does not restrict. */
function inAudience(audience: Audience | null, context: PromotionContext, event: PromotionEvent): boolean {
  if (!audience) return true;
  const { tiers, segments, earning_partners, channels } = audience;
  if (tiers && !(context.member.tierKey !== null && tiers.includes(context.member.tierKey))) return false;
  if (segments && !segments.some((id) => context.segments.has(id))) return false;
  if (earning_partners && !earning_partners.includes(event.partnerId)) return false;
  return !channels || (event.channel !== null && channels.includes(event.channel));
}

/** Conditions hold: `min_purchase_minor` needs a purchase at least that large (a points-only earn never meets it). */
function meetsConditions(promotion: Promotion, event: PromotionEvent): boolean {
  const min = promotion.conditions?.min_purchase_minor;
  if (min === undefined) return true;
  return event.kind === "earn" && event.amountMinor !== null && event.amountMinor >= min;
}

const noStanding: Standing = {
  pointsAwarded: 0,
  awards: 0,
  challengeEarns: 0,
  challengeSpendMinor: 0,
  onceAwarded: false,
};

/** Budget left per promotion as this evaluation spends it (two awards of one referral share one budget). */
type Budgets = Map<string, bigint | null>;

const budgetLeft = (budgets: Budgets, promotion: Promotion): bigint | null => {
  if (!budgets.has(promotion.id))
    budgets.set(
      promotion.id,
      promotion.budgetPoints === null ? null : BigInt(promotion.budgetPoints) - BigInt(promotion.pointsAwarded),
    );
  return budgets.get(promotion.id) ?? null;
};

/**
 * The award a promotion would pay `memberId` after limits, or why it pays nothing: the budget left (none:
 * `budget_exhausted`), the member's awards so far against `max_awards_per_member` and a one-off already paid
 * (`member_limit`), and `max_points_per_member` (cut, and nothing left: `member_limit`). Undefined: nothing to pay
 * (a reward of 0 points, which is not written).
 */
function limited(
  promotion: Promotion,
  recipient: { memberId: string; once: boolean },
  points: bigint,
  context: PromotionContext,
  budgets: Budgets,
): Award | SkipReason | undefined {
  const { memberId, once } = recipient;
  const budget = budgetLeft(budgets, promotion);
  if (budget !== null && budget <= 0n) return "budget_exhausted";
  const standing = context.standings.get(standingKey(promotion.id, memberId)) ?? noStanding;
  if (once && standing.onceAwarded) return "member_limit";
  if (promotion.maxAwardsPerMember !== null && standing.awards >= promotion.maxAwardsPerMember) return "member_limit";
  const memberLeft =
    promotion.maxPointsPerMember === null
      ? null
      : BigInt(promotion.maxPointsPerMember) - BigInt(standing.pointsAwarded);
  if (memberLeft !== null && memberLeft <= 0n) return "member_limit";
  const paid = cutTo(points, budget, memberLeft, maxAwardPoints);
  if (paid === 0n) return undefined;
  if (budget !== null) budgets.set(promotion.id, budget - paid);
  return {
    promotion,
    recipientMemberId: memberId,
    points: Number(paid),
    group: "treatment",
    once,
    exhaustsBudget: budget !== null && budget === paid,
  };
}

/** Whether the challenge's target is reached by `earns` earns and `spend` minor units. */
const reached = (promotion: Promotion, earns: number, spend: number): boolean => {
  const target = promotion.challenge ?? {};
  return (
    (target.earns !== undefined && earns >= target.earns) ||
    (target.spend_minor !== undefined && spend >= target.spend_minor)
  );
};

/**
 * Decides what a program's promotions do on one event, as a pure function of what was read (so simulate, earns,
 * enrolments and activities cannot disagree). `promotions` are those to consider as active (status is the caller's
 * choice: simulate may pass drafts); each one the event sets off (`earn`, `challenge`, a `referral` on a referred
 * member's first earn, `enrolment`, `activity` of a listed type) is checked in precedence order (priority, then the
 * older) for: its dates and schedule, its audience, its conditions — passing those exposes the member (its row, in
 * its control or treatment group, even if nothing is paid) and moves a challenge on — then the control group
 * (held-out members get nothing), the budget, the member limits; the reward is cut to the budget and the member's
 * points left. Among `earn` promotions that pay, the first `exclusive` one (highest priority, then the older) pays
 * alone: every other `earn` promotion is skipped as `exclusive` (challenges and referrals are one-off awards of
 * their own and are not excluded). A referral pays the referred member, then the referrer, from one budget; the
 * experiment is on the referred member, so when it is held out neither is paid.
 */
export function evaluatePromotions(
  promotions: readonly Promotion[],
  context: PromotionContext,
  event: PromotionEvent,
): Evaluation {
  const evaluation: Evaluation = { awards: [], exposures: [], progress: [], skipped: [] };
  const budgets: Budgets = new Map();
  const earnAwards: Award[] = [];
  const memberId = context.member.id;
  const base =
    event.kind === "earn" ? { points: event.points, amountMinor: event.amountMinor } : { points: 0, amountMinor: null };
  const skip = (promotion: Promotion, reason: SkipReason) =>
    evaluation.skipped.push({ promotion_id: promotion.id, reason });

  for (const { promotion, scheduled } of inPlay(promotions, context, event)) {
    if (!scheduled) skip(promotion, "outside_schedule");
    else if (!inAudience(promotion.audience, context, event)) skip(promotion, "not_in_audience");
    else if (!meetsConditions(promotion, event)) skip(promotion, "condition");
    else {
      const group = groupOf(promotion, memberId);
      evaluation.exposures.push({ promotion, memberId, group });
      let completes = true;
      if (promotion.trigger === "challenge" && event.kind === "earn") {
        const standing = context.standings.get(standingKey(promotion.id, memberId)) ?? noStanding;
        const spendMinor = event.amountMinor ?? 0;
        completes =
          !standing.onceAwarded &&
          reached(promotion, standing.challengeEarns + 1, standing.challengeSpendMinor + spendMinor);
        evaluation.progress.push({ promotion, memberId, earns: 1, spendMinor, completes });
      }
      if (group === "control") skip(promotion, "control_group");
      else if (completes) {
        const points = rewardPoints(promotion.reward, base);
        const award = limited(promotion, { memberId, once: isOneOff(promotion) }, points, context, budgets);
        if (typeof award === "string") skip(promotion, award);
        else if (award && promotion.trigger === "earn") earnAwards.push(award);
        else if (award) evaluation.awards.push(award);
        const referrer = context.member.referredByMemberId;
        // The referrer is paid once per member it referred: its own row counts the awards but is no one-off.
        if (typeof award === "object" && promotion.trigger === "referral" && referrer !== null) {
          const paid = limited(promotion, { memberId: referrer, once: false }, points, context, budgets);
          if (typeof paid === "object") evaluation.awards.push(paid);
        }
      }
    }
  }
  const winner = earnAwards.find((award) => award.promotion.stacking === "exclusive");
  for (const award of earnAwards)
    if (!winner || award === winner) evaluation.awards.push(award);
    else skip(award.promotion, "exclusive");
  return evaluation;
}
