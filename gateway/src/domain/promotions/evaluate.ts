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
  /** The referrer was erased since: the referred member's own share is paid, the referrer's is not. */
  referrerErased?: boolean;
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

/**
 * A member met schedule, audience and conditions (or referred one who did, and is held out): its row exists from now,
 * in its group.
 */
export type Exposure = { promotion: Promotion; memberId: string; group: Group };

/**
 * A qualifying earn's step in a challenge (control members progress too), and whether the member's progress with it
 * reaches the target (or had reached it: a completed challenge is then skipped as `member_limit`).
 */
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
 * Why a promotion can pay `memberId` nothing whatever its reward: no budget left (`budget_exhausted`), or the member's
 * awards so far at `max_awards_per_member`, a one-off already paid, no points left under `max_points_per_member`
 * (`member_limit`). Undefined: it can pay.
 */
function limitReached(
  promotion: Promotion,
  recipient: { memberId: string; once: boolean },
  context: PromotionContext,
  budgets: Budgets,
): SkipReason | undefined {
  const budget = budgetLeft(budgets, promotion);
  if (budget !== null && budget <= 0n) return "budget_exhausted";
  const standing = context.standings.get(standingKey(promotion.id, recipient.memberId)) ?? noStanding;
  if (recipient.once && standing.onceAwarded) return "member_limit";
  if (promotion.maxAwardsPerMember !== null && standing.awards >= promotion.maxAwardsPerMember) return "member_limit";
  if (promotion.maxPointsPerMember !== null && standing.pointsAwarded >= promotion.maxPointsPerMember)
    return "member_limit";
  return undefined;
}

/**
 * The award a promotion would pay `recipient` after limits (`limitReached`), cut to the budget left and the member's
 * points left, or why it pays nothing; a reward of 0 points (a `points_per_amount` on a points-only earn) is a
 * `condition` not met, so every promotion the event sets off is either paid or skipped.
 */
function limited(
  promotion: Promotion,
  recipient: { memberId: string; once: boolean; group: Group },
  points: bigint,
  context: PromotionContext,
  budgets: Budgets,
): Award | SkipReason {
  const { memberId, once, group } = recipient;
  const reason = limitReached(promotion, recipient, context, budgets);
  if (reason) return reason;
  const budget = budgetLeft(budgets, promotion);
  const standing = context.standings.get(standingKey(promotion.id, memberId)) ?? noStanding;
  const memberLeft =
    promotion.maxPointsPerMember === null
      ? null
      : BigInt(promotion.maxPointsPerMember) - BigInt(standing.pointsAwarded);
  const paid = cutTo(points, budget, memberLeft, maxAwardPoints);
  if (paid === 0n) return "condition";
  if (budget !== null) budgets.set(promotion.id, budget - paid);
  return {
    promotion,
    recipientMemberId: memberId,
    points: Number(paid),
    group,
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

/** Why the event does not qualify for the promotion (dates and schedule, audience, conditions); undefined: it does. */
function disqualified(
  { promotion, scheduled }: { promotion: Promotion; scheduled: boolean },
  context: PromotionContext,
  event: PromotionEvent,
): SkipReason | undefined {
  if (!scheduled) return "outside_schedule";
  if (!inAudience(promotion.audience, context, event)) return "not_in_audience";
  if (!meetsConditions(promotion, event)) return "condition";
  return undefined;
}

/**
 * The exclusive `earn` promotion that applies alone: the first in precedence order the event qualifies for that can
 * still pay the member (budget left, below its member limits). Holding the member out or a reward of 0 points does
 * not pass it over: it then pays nothing and still excludes the others.
 */
function exclusiveWinner(
  played: ReturnType<typeof inPlay>,
  context: PromotionContext,
  event: PromotionEvent,
  budgets: Budgets,
): Promotion | undefined {
  const recipient = { memberId: context.member.id, once: false };
  return played.find(
    (entry) =>
      entry.promotion.trigger === "earn" &&
      entry.promotion.stacking === "exclusive" &&
      !disqualified(entry, context, event) &&
      !limitReached(entry.promotion, recipient, context, budgets),
  )?.promotion;
}

/**
 * Decides what a program's promotions do on one event, as a pure function of what was read (so simulate, earns,
 * enrolments and activities cannot disagree). `promotions` are those to consider as active (status is the caller's
 * choice: simulate may pass drafts); each one the event sets off (`earn`, `challenge`, a `referral` on a referred
 * member's first earn, `enrolment`, `activity` of a listed type) is checked in precedence order (priority, then the
 * older) for: its dates and schedule, its audience, its conditions — passing those exposes the member (its row, in
 * its control or treatment group, even if nothing is paid) and moves a challenge on — then the control group
 * (held-out members get nothing), the budget, the member limits; the reward is cut to the budget and the member's
 * points left. Every promotion set off is paid or skipped, but for a challenge merely moving on. When an `exclusive`
 * earn promotion wins (`exclusiveWinner`) it alone of the `earn` promotions applies, even when it pays the member
 * nothing (held out, 0 points): every other `earn` promotion that would pay is skipped as `exclusive` (challenges and
 * referrals are one-off awards of their own and are not excluded). A referral pays the referred member, then the
 * referrer, from one budget; each is held out by its own hash, and a held-out referred member means neither is paid
 * (the referral is its experiment), while a held-out referrer is only exposed, in its control group.
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

  const played = inPlay(promotions, context, event);
  const winner = exclusiveWinner(played, context, event, budgets);
  for (const entry of played) {
    const { promotion } = entry;
    const reason = disqualified(entry, context, event);
    if (reason) {
      skip(promotion, reason);
      continue;
    }
    const group = groupOf(promotion, memberId);
    evaluation.exposures.push({ promotion, memberId, group });
    let completes = true;
    if (promotion.trigger === "challenge" && event.kind === "earn") {
      const standing = context.standings.get(standingKey(promotion.id, memberId)) ?? noStanding;
      const spendMinor = event.amountMinor ?? 0;
      completes = reached(promotion, standing.challengeEarns + 1, standing.challengeSpendMinor + spendMinor);
      evaluation.progress.push({ promotion, memberId, earns: 1, spendMinor, completes });
    }
    if (group === "control") skip(promotion, "control_group");
    else if (completes) {
      const points = rewardPoints(promotion.reward, base);
      const award = limited(promotion, { memberId, once: isOneOff(promotion), group }, points, context, budgets);
      const excluded = promotion.trigger === "earn" && winner !== undefined && promotion !== winner;
      if (typeof award === "string") skip(promotion, award);
      else if (excluded) skip(promotion, "exclusive");
      else if (promotion.trigger === "earn") earnAwards.push(award);
      else evaluation.awards.push(award);
      const referrer = context.member.referredByMemberId;
      if (typeof award === "object" && promotion.trigger === "referral" && referrer !== null && !context.referrerErased)
        payReferrer(evaluation, { promotion, referrer, points, context, budgets });
    }
  }
  evaluation.awards.push(...earnAwards);
  return evaluation;
}

/**
 * The referrer's side of a referral its referred member was paid: by the referrer's own hash, held out (exposed in its
 * control group, skipped as `control_group`) or paid from the same budget. Paid once per member it referred: its own
 * row counts the awards but is no one-off.
 */
function payReferrer(
  evaluation: Evaluation,
  input: { promotion: Promotion; referrer: string; points: bigint; context: PromotionContext; budgets: Budgets },
): void {
  const { promotion, referrer, points, context, budgets } = input;
  const group = groupOf(promotion, referrer);
  if (group === "control") {
    evaluation.exposures.push({ promotion, memberId: referrer, group });
    evaluation.skipped.push({ promotion_id: promotion.id, reason: "control_group" });
    return;
  }
  const paid = limited(promotion, { memberId: referrer, once: false, group }, points, context, budgets);
  if (typeof paid === "object") evaluation.awards.push(paid);
}
