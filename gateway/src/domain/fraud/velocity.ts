import { hasCompletedConversion } from "../../db/queries/conversions";
import type { Deps } from "../../deps";
import type { ErrorCode } from "../../errors";
import type { LimitResult, LimitRule } from "../../limits/limiter";
import type { MemberAccess } from "../access";

/** What the fraud rules say about one money operation. */
export type Verdict =
  | { action: "allow" }
  | { action: "reject"; rule: string; code: ErrorCode; detail: string; retryAfterSeconds: number | null }
  | { action: "hold"; rule: string; reason: string };

const allow: Verdict = { action: "allow" };
const day = 86_400_000;
const hour = 3_600_000;

type Check = { key: string; rule: LimitRule; cost: number };
/** Limits keep real time (Upstash's windows are in Redis), so Retry-After is counted on the real clock. */
type VelocityDeps = Pick<Deps, "limiter" | "log" | "realClock">;

/** Runs one limit; a limiter that cannot answer is reported as such, never as allowed. */
async function consume(deps: VelocityDeps, check: Check): Promise<LimitResult> {
  const result = await deps.limiter.check(check.key, check.rule, check.cost);
  if (result.outcome === "unavailable")
    deps.log("warn", "velocity limiter unavailable: failing closed", { key: check.key, reason: result.reason });
  return result;
}

const retryAfter = (resetAt: number, now: Date) => Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000));

/**
 * Earn: points earned per member per day. Earns cannot be held, so a breach rejects (429) and, failing
 * closed, an unavailable limiter rejects too (503): money rules never fail open.
 */
export async function earnVerdict(deps: VelocityDeps, access: MemberAccess, points: number): Promise<Verdict> {
  const limit = access.rules.maxEarnPointsPerMemberPerDay;
  if (limit === null) return allow;
  const result = await consume(deps, {
    key: `earn-points:${access.member.id}`,
    rule: { limit, windowMs: day },
    cost: points,
  });
  if (result.outcome === "allowed") return allow;
  if (result.outcome === "unavailable")
    return {
      action: "reject",
      rule: "limiter_unavailable",
      code: "service_unavailable",
      detail: "Velocity checks are unavailable right now; the earn was not recorded. Retry shortly.",
      retryAfterSeconds: 5,
    };
  return {
    action: "reject",
    rule: "max_earn_points_per_member_per_day",
    code: "earn_limit_exceeded",
    detail: `The member may earn at most ${limit} points per day in this program.`,
    retryAfterSeconds: retryAfter(result.resetAt, deps.realClock.now()),
  };
}

/** Burn: burns per member per hour (reject or hold, as the rule says), then the review threshold. */
export async function burnVerdict(deps: VelocityDeps, access: MemberAccess, points: number): Promise<Verdict> {
  const { rules } = access;
  if (rules.maxBurnsPerMemberPerHour !== null) {
    const limit = rules.maxBurnsPerMemberPerHour;
    const result = await consume(deps, { key: `burns:${access.member.id}`, rule: { limit, windowMs: hour }, cost: 1 });
    if (result.outcome === "unavailable")
      return {
        action: "hold",
        rule: "limiter_unavailable",
        reason: "Velocity checks were unavailable; held for review.",
      };
    if (result.outcome === "limited") {
      const detail = `The member may burn at most ${limit} times per hour in this program.`;
      if (rules.burnAction === "hold") return { action: "hold", rule: "max_burns_per_member_per_hour", reason: detail };
      return {
        action: "reject",
        rule: "max_burns_per_member_per_hour",
        code: "burn_limit_exceeded",
        detail,
        retryAfterSeconds: retryAfter(result.resetAt, deps.realClock.now()),
      };
    }
  }
  return thresholdVerdict(access, points);
}

/**
 * Conversion out: points converted per member per day (hold by default: the defence against draining a
 * member through many small conversions), the review threshold, and the first conversion to a destination
 * account this member never converted to before.
 */
export async function conversionVerdict(
  deps: VelocityDeps & Pick<Deps, "reader">,
  access: MemberAccess,
  points: number,
  toMemberId: string,
): Promise<Verdict> {
  const { rules } = access;
  if (rules.maxConversionPointsPerMemberPerDay !== null) {
    const limit = rules.maxConversionPointsPerMemberPerDay;
    const result = await consume(deps, {
      key: `conversion-points:${access.member.id}`,
      rule: { limit, windowMs: day },
      cost: points,
    });
    if (result.outcome === "unavailable")
      return {
        action: "hold",
        rule: "limiter_unavailable",
        reason: "Velocity checks were unavailable; held for review.",
      };
    if (result.outcome === "limited") {
      const detail = `The member may convert at most ${limit} points per day out of this program.`;
      if (rules.conversionAction === "hold")
        return { action: "hold", rule: "max_conversion_points_per_member_per_day", reason: detail };
      return {
        action: "reject",
        rule: "max_conversion_points_per_member_per_day",
        code: "conversion_limit_exceeded",
        detail,
        retryAfterSeconds: retryAfter(result.resetAt, deps.realClock.now()),
      };
    }
  }
  const threshold = thresholdVerdict(access, points);
  if (threshold.action !== "allow") return threshold;
  if (rules.holdFirstConversionToNewDestination) {
    if (!(await hasCompletedConversion(deps.reader, access.member.id, toMemberId)))
      return {
        action: "hold",
        rule: "first_conversion_to_new_destination",
        reason: "First conversion from this member to this destination account.",
      };
  }
  return allow;
}

function thresholdVerdict(access: MemberAccess, points: number): Verdict {
  const threshold = access.rules.reviewThresholdPoints;
  if (threshold === null || points <= threshold) return allow;
  return {
    action: "hold",
    rule: "review_threshold",
    reason: `${points} points exceed the program's review threshold of ${threshold}.`,
  };
}
