import { assertionConstraint } from "../../db/queries/assertions";
import type { PageQuery } from "../../db/queries/pages";
import {
  assertPromotionUnchanged,
  bumpPromotionsVersionStatement,
  findPromotionById,
  insertPromotionStatement,
  listPromotionsPage,
  type PromotionChanges,
  type PromotionFilters,
  updatePromotionStatement,
  withinBudgetConstraint,
} from "../../db/queries/promotions";
import { ConstraintViolation, type Statement } from "../../db/writer";
import type { Deps } from "../../deps";
import { ApiError, type FieldError, StaleWrite } from "../../errors";
import { retryingStaleWrites } from "../ledger/movement";
import { type Caller, managedProgram } from "../programs";
import { type Promotion, type PromotionRow, promotionOf } from "./definition";
import { managedPromotion, readablePromotion, readablePromotionsOf } from "./owned";
import {
  type Definition,
  definitionProblems,
  normalized,
  type Referencing,
  referenceProblems,
  refuseProblems,
} from "./validate";

type PromotionDeps = Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">;
type Status = Promotion["status"];
type Limits = Pick<Definition, "budgetPoints" | "maxPointsPerMember" | "maxAwardsPerMember">;

/** A PATCH: the fields sent (a limit sent alone changes only that limit; null clears it). */
export type PromotionPatch = Partial<Omit<Definition, keyof Limits>> & { status?: Status; limits?: Partial<Limits> };

/**
 * The life cycle: a promotion is created as a draft or active; a draft goes live or is dropped (ended), a live one
 * pauses and resumes, and every one ends for good. Staying in a status is no transition and always allowed.
 */
const transitions: Record<Status, readonly Status[]> = {
  draft: ["draft", "active", "ended"],
  active: ["active", "paused", "ended"],
  paused: ["paused", "active", "ended"],
  ended: [],
};

/** What a promotion that has gone live (active or paused) may still change: members may already have seen it. */
const liveEditable: ReadonlySet<keyof PromotionPatch> = new Set(["status", "endsAt", "limits", "description"]);

/** The request's name of a field (`ends_at` for `endsAt`). */
const fieldName = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The stored columns of a valid definition. */
function columnsOf(definition: Definition): PromotionChanges {
  const valid = normalized(definition);
  return {
    campaignId: valid.campaignId,
    name: valid.name,
    description: valid.description,
    startsAt: valid.startsAt,
    endsAt: valid.endsAt,
    trigger: valid.trigger,
    schedule: json(valid.schedule),
    audience: json(valid.audience),
    conditions: json(valid.conditions),
    challenge: json(valid.challenge),
    activityTypes: json(valid.activityTypes),
    reward: JSON.stringify(valid.reward),
    budgetPoints: valid.budgetPoints,
    maxPointsPerMember: valid.maxPointsPerMember,
    maxAwardsPerMember: valid.maxAwardsPerMember,
    controlGroupBps: valid.controlGroupBps,
    stacking: valid.stacking,
    priority: valid.priority,
  };
}

/** 400 unless the definition is valid, its `checked` references included: every problem at its JSON path. */
async function checkDefinition(
  deps: Pick<Deps, "db" | "reader">,
  program: Parameters<typeof referenceProblems>[1],
  definition: Definition,
  checked: ReadonlySet<Referencing>,
  extra: FieldError[] = [],
): Promise<void> {
  refuseProblems([
    ...definitionProblems(definition),
    ...(await referenceProblems(deps, program, definition, checked)),
    ...extra,
  ]);
}

async function stored(deps: Pick<Deps, "db">, id: string): Promise<Promotion> {
  const row = await findPromotionById(deps.db, id);
  if (!row) throw new ApiError("not_found", `No promotion ${id}.`);
  return promotionOf(row);
}

/**
 * Writes a promotion's change with the bump of its program's `promotions_version` (so earns planned on the old set
 * plan again), asserting what the change was planned on: a concurrent change or an award passing a lowered budget
 * makes it a `StaleWrite`, planned again on fresh reads.
 */
async function writeChange(deps: Pick<Deps, "writer">, programId: string, statements: Statement[]): Promise<void> {
  try {
    await deps.writer.write([...statements, bumpPromotionsVersionStatement(programId)]);
  } catch (error) {
    if (
      error instanceof ConstraintViolation &&
      (error.constraint === assertionConstraint || error.constraint === withinBudgetConstraint)
    )
      throw new StaleWrite();
    throw error;
  }
}

/** Creates a promotion (the program's owner or the operator), as a draft or active at once. */
export async function createPromotion(
  deps: PromotionDeps,
  caller: Caller,
  programId: string,
  input: Definition & { status: "draft" | "active" },
): Promise<Promotion> {
  const program = await managedProgram(deps, caller, programId);
  await checkDefinition(deps, program, input, new Set(["audience", "campaignId"]));
  const now = deps.clock.now();
  const row = {
    ...(columnsOf(input) as Required<PromotionChanges>),
    id: deps.ids("pro"),
    programId: program.id,
    status: input.status,
    pointsAwarded: 0,
    budgetExhaustedAt: null,
    createdAt: now,
    updatedAt: now,
  } satisfies PromotionRow;
  await writeChange(deps, program.id, [insertPromotionStatement(deps.db, row)]);
  return stored(deps, row.id);
}

/** 409 `invalid_state` unless the patch is allowed in the promotion's status (the life cycle and edit rules). */
function checkLifeCycle(promotion: Promotion, patch: PromotionPatch): void {
  const { id, status } = promotion;
  if (status === "ended")
    throw new ApiError("invalid_state", `Promotion ${id} has ended: it changes no more. Create a new one instead.`);
  if (status !== "draft") {
    const frozen = Object.keys(patch).filter((key) => !liveEditable.has(key as keyof PromotionPatch));
    if (frozen.length > 0)
      throw new ApiError(
        "invalid_state",
        `Promotion ${id} is ${status}: only its status, ends_at, limits and description change now, not ${frozen.map(fieldName).join(", ")}. End it and create a new one to change the rest.`,
        {
          errors: frozen.map((key) => ({
            path: fieldName(key),
            message: `cannot change while the promotion is ${status}`,
          })),
        },
      );
  }
  if (patch.status !== undefined && !transitions[status].includes(patch.status))
    throw new ApiError("invalid_state", `Promotion ${id} cannot go from ${status} to ${patch.status}.`, {
      errors: [
        {
          path: "status",
          message: `cannot go from ${status} to ${patch.status} (from ${status}: ${transitions[status].filter((next) => next !== status).join(" or ")})`,
        },
      ],
    });
}

/**
 * The definition a PATCH to `ended` leaves: an end still open or later than `now` becomes `now`, so the performance
 * windows close when it ended. A promotion ended before it started keeps its end: it never ran, so no window opened.
 */
function endedBy(definition: Definition, status: Status | undefined, now: Date): Definition {
  if (status !== "ended" || now.getTime() <= definition.startsAt.getTime()) return definition;
  if (definition.endsAt !== null && definition.endsAt.getTime() <= now.getTime()) return definition;
  return { ...definition, endsAt: now };
}

/**
 * Changes a promotion (the program's owner or the operator): a draft any of its fields, an active or paused one
 * only its status, end, limits and description, an ended one nothing. The whole definition is checked as it will be.
 * A budget cannot go below what was already awarded. Ending it ends its window now (`endedBy`).
 */
export async function updatePromotion(
  deps: PromotionDeps,
  caller: Caller,
  id: string,
  patch: PromotionPatch,
): Promise<Promotion> {
  await retryingStaleWrites(async () => {
    const { promotion, program } = await managedPromotion(deps, caller, id);
    checkLifeCycle(promotion, patch);
    const { limits, status, ...fields } = patch;
    const before = { ...promotion } satisfies Definition;
    const now = deps.clock.now();
    const next: Definition = endedBy({ ...before, ...fields, ...limits }, status, now);
    const budget = next.budgetPoints;
    const belowAwarded =
      budget !== null && budget < promotion.pointsAwarded
        ? [{ path: "limits.budget_points", message: `is below the ${promotion.pointsAwarded} points already awarded` }]
        : [];
    const checked = new Set(["audience", "campaignId"].filter((key) => key in fields) as Referencing[]);
    await checkDefinition(deps, program, next, checked, belowAwarded);
    await writeChange(deps, program.id, [
      assertPromotionUnchanged(id, { status: promotion.status, ...columnsOf(before) }),
      updatePromotionStatement(deps.db, id, {
        ...columnsOf(next),
        status: status ?? promotion.status,
        updatedAt: now,
      }),
    ]);
  });
  return stored(deps, id);
}

/** A promotion for its owner and the operator, or an active one for a partner with an agreement in its program. */
export async function getPromotion(deps: Pick<Deps, "db">, caller: Caller, id: string): Promise<Promotion> {
  return (await readablePromotion(deps, caller, id)).promotion;
}

/** A page of a program's promotions, newest first; a partner that does not own the program sees the active ones. */
export async function listPromotions(
  deps: Pick<Deps, "db">,
  caller: Caller,
  programId: string,
  filters: PromotionFilters,
  query: PageQuery,
) {
  const { program, activeOnly } = await readablePromotionsOf(deps, caller, programId);
  if (activeOnly && filters.status !== undefined && filters.status !== "active")
    return { object: "list" as const, data: [], has_more: false };
  const page = await listPromotionsPage(
    deps.db,
    program.id,
    activeOnly ? { ...filters, status: "active" } : filters,
    query,
  );
  return { ...page, data: page.data.map(promotionOf) };
}
