import { findCampaignById } from "../../db/queries/campaigns";
import { findPartnersWithAgreement, findProgramSegmentIds } from "../../db/queries/promotions";
import type { Deps } from "../../deps";
import { ApiError, type FieldError } from "../../errors";
import { canonicalTimeZone, type Program } from "../programs";
import { tierTableOf } from "../tiers/table-read";
import type { Promotion, Reward, Schedule } from "./definition";

/** The reward as a request sends it: the schema allows each kind, the rules below exactly one. */
export type RewardInput = {
  multiplier_bps?: number;
  bonus_points?: number;
  points_per_amount?: { points: number; per_amount_minor: number };
};

/** A promotion's definition: what its owner writes (a draft all of it; an active one some). */
export type Definition = Omit<
  Promotion,
  "id" | "programId" | "status" | "pointsAwarded" | "budgetExhaustedAt" | "createdAt" | "updatedAt" | "reward"
> & { reward: RewardInput };

/** The parts of a definition that name other records, checked when they are written. */
export type Referencing = "audience" | "campaignId";

const rewardKinds = ["multiplier_bps", "bonus_points", "points_per_amount"] as const;

/** Index paths of the values of `list` that repeat an earlier one. */
const repeats = (path: string, list: readonly unknown[] | undefined): FieldError[] =>
  (list ?? []).flatMap((value, i) =>
    list?.indexOf(value) === i ? [] : [{ path: `${path}[${i}]`, message: `repeats ${JSON.stringify(value)}` }],
  );

function scheduleProblems(schedule: Schedule | null): FieldError[] {
  if (!schedule) return [];
  const problems = repeats("schedule.days_of_week", schedule.days_of_week);
  const { from_time: from, to_time: to, timezone } = schedule;
  if (from !== undefined && to === undefined)
    problems.push({ path: "schedule.to_time", message: "is required with from_time" });
  if (to !== undefined && from === undefined)
    problems.push({ path: "schedule.from_time", message: "is required with to_time" });
  if (from !== undefined && from === to)
    problems.push({
      path: "schedule.to_time",
      message: "equals from_time: a window of no time (to cross midnight, give a to_time before from_time)",
    });
  if (timezone !== undefined && !canonicalTimeZone(timezone))
    problems.push({ path: "schedule.timezone", message: `${timezone} is not an IANA time zone such as Europe/Lisbon` });
  return problems;
}

function rewardProblems(definition: Definition): FieldError[] {
  const kinds = rewardKinds.filter((kind) => definition.reward[kind] !== undefined);
  if (kinds.length !== 1)
    return [
      {
        path: "reward",
        message: `needs exactly one of ${rewardKinds.join(", ")}${kinds.length > 1 ? ` (got ${kinds.join(" and ")})` : ""}`,
      },
    ];
  if (definition.trigger !== "earn" && kinds[0] !== "bonus_points")
    return [
      {
        path: "reward.bonus_points",
        message: `is required for a ${definition.trigger} promotion, which pays a fixed award (no earn to multiply)`,
      },
    ];
  return [];
}

/** The parts only some triggers take, present where they belong and absent elsewhere. */
function triggerProblems(definition: Definition): FieldError[] {
  const { trigger, challenge, activityTypes, audience, conditions, stacking } = definition;
  const problems: FieldError[] = [];
  // Exclusivity is among the earn promotions of one earn; the other triggers are one-off awards it never excludes.
  if (stacking === "exclusive" && trigger !== "earn")
    problems.push({ path: "stacking", message: "only earn promotions can be exclusive" });
  if (trigger === "challenge" && !challenge)
    problems.push({
      path: "challenge",
      message: "is required for a challenge promotion: its earns and/or spend_minor",
    });
  if (challenge && trigger !== "challenge")
    problems.push({ path: "challenge", message: `is only for trigger challenge, not ${trigger}` });
  if (challenge && challenge.earns === undefined && challenge.spend_minor === undefined)
    problems.push({ path: "challenge", message: "needs earns, spend_minor or both" });
  if (trigger === "activity" && !activityTypes)
    problems.push({ path: "activity_types", message: "is required for an activity promotion: the types it rewards" });
  if (activityTypes && trigger !== "activity")
    problems.push({ path: "activity_types", message: `is only for trigger activity, not ${trigger}` });
  problems.push(...repeats("activity_types", activityTypes ?? undefined));
  if (trigger === "enrolment" && audience?.segments)
    problems.push({
      path: "audience.segments",
      message: "cannot target an enrolment promotion: a joining member is in no segment",
    });
  if ((trigger === "enrolment" || trigger === "activity") && audience?.channels)
    problems.push({ path: "audience.channels", message: `cannot target a ${trigger} promotion, which has no channel` });
  if ((trigger === "enrolment" || trigger === "activity") && conditions)
    problems.push({ path: "conditions", message: `apply to earns; a ${trigger} promotion has none` });
  return problems;
}

/**
 * Every problem of a definition that needs no read, each at its JSON path: dates, schedule, reward, the parts of
 * each trigger, repeated list items. The ranges of single values are the request schema's.
 */
export function definitionProblems(definition: Definition): FieldError[] {
  const problems: FieldError[] = [];
  if (definition.endsAt && definition.endsAt.getTime() <= definition.startsAt.getTime())
    problems.push({ path: "ends_at", message: `must be after starts_at (${definition.startsAt.toISOString()})` });
  const { audience } = definition;
  return [
    ...problems,
    ...scheduleProblems(definition.schedule),
    ...rewardProblems(definition),
    ...triggerProblems(definition),
    ...repeats("audience.tiers", audience?.tiers),
    ...repeats("audience.segments", audience?.segments),
    ...repeats("audience.earning_partners", audience?.earning_partners),
    ...repeats("audience.channels", audience?.channels),
  ];
}

/**
 * Problems of the ids a definition names in the program: tiers of its tier table, its segments, partners with an
 * agreement in it, one of its campaigns. Only `checked` parts are read: an active promotion's PATCH of its end date
 * is not refused because a segment its audience named has since been deleted.
 */
export async function referenceProblems(
  deps: Pick<Deps, "db" | "reader">,
  program: Program,
  definition: Definition,
  checked: ReadonlySet<Referencing>,
): Promise<FieldError[]> {
  const audience = checked.has("audience") ? definition.audience : null;
  const campaignId = checked.has("campaignId") ? definition.campaignId : null;
  const [table, segments, partners, campaign] = await Promise.all([
    audience?.tiers ? tierTableOf(deps.reader, program.id) : undefined,
    findProgramSegmentIds(deps.db, program.id, audience?.segments ?? []),
    findPartnersWithAgreement(deps.db, program.id, audience?.earning_partners ?? []),
    campaignId !== null ? findCampaignById(deps.db, campaignId) : undefined,
  ]);
  const keys = new Set(table?.tiers.map((tier) => tier.key));
  const unknown = (path: string, list: readonly string[] | undefined, known: ReadonlySet<string>, what: string) =>
    (list ?? []).flatMap((id, i) => (known.has(id) ? [] : [{ path: `${path}[${i}]`, message: `${id} ${what}` }]));
  const problems = [
    ...unknown(
      "audience.tiers",
      audience?.tiers,
      keys,
      table
        ? `is not a tier of ${program.id} (its tiers: ${[...keys].join(", ")})`
        : `is not a tier: ${program.id} has no tiers`,
    ),
    ...unknown("audience.segments", audience?.segments, segments, `is not a segment of ${program.id}`),
    ...unknown(
      "audience.earning_partners",
      audience?.earning_partners,
      partners,
      `is not a partner with an agreement in ${program.id}`,
    ),
  ];
  if (campaignId !== null && campaign?.programId !== program.id)
    problems.push({ path: "campaign_id", message: `${campaignId} is not a campaign of ${program.id}` });
  return problems;
}

/** 400 `validation_failed` listing every problem, or nothing when there is none. */
export function refuseProblems(problems: readonly FieldError[], what = "The promotion"): void {
  const [first] = problems;
  if (first)
    throw new ApiError("validation_failed", `${what} is not valid: ${first.path} ${first.message}.`, {
      errors: [...problems],
    });
}

/** A valid definition as it is stored: its time zone by its canonical name, the reward with only its one kind. */
export function normalized(definition: Definition): Definition & { reward: Reward } {
  const { schedule } = definition;
  const timezone = schedule?.timezone === undefined ? undefined : canonicalTimeZone(schedule.timezone);
  const kind = rewardKinds.find((candidate) => definition.reward[candidate] !== undefined) ?? "bonus_points";
  return {
    ...definition,
    schedule: schedule && timezone ? { ...schedule, timezone } : schedule,
    reward: { [kind]: definition.reward[kind] } as Reward,
  };
}
