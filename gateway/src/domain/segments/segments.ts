import { findCampaignsTargeting } from "../../db/queries/campaigns";
import type { PageQuery } from "../../db/queries/pages";
import { bumpPromotionsVersionStatement } from "../../db/queries/promotions";
import { compileRule, maxCompiledRuleLength, type ReferencedSegment, type Rule } from "../../db/queries/segment-rules";
import {
  countMembers,
  deleteSegmentStatements,
  findSegmentById,
  insertSegmentStatement,
  listedIn,
  listMembersWhere,
  listProgramSegments,
  listSegmentsPage,
  type MemberCondition,
  recountStatements,
  updateSegmentStatement,
} from "../../db/queries/segments";
import type { segments } from "../../db/schema";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { type Caller, managedProgram, type Program } from "../programs";
import { checkRule, type ExtraFields, type RuleProblem, referencesOf } from "./rule";

export type Segment = typeof segments.$inferSelect;

type SegmentDeps = Pick<Deps, "db" | "reader" | "writer" | "clock" | "ids">;

/** A stored rule, parsed (it was checked when written). */
export const ruleOf = (segment: Pick<Segment, "rule">): Rule | null => (segment.rule ? JSON.parse(segment.rule) : null);

/** The program's segments as rules referencing them see them. */
async function referencedSegments(deps: Pick<Deps, "db">, programId: string) {
  const all = await listProgramSegments(deps.db, programId);
  return new Map<string, ReferencedSegment & { segment: Segment }>(
    all.map((segment) => [segment.id, { type: segment.type, rule: ruleOf(segment), segment }]),
  );
}

/** Who is in a segment now, as a condition over the member row. */
export async function segmentCondition(
  deps: Pick<Deps, "db" | "clock">,
  segment: Segment,
  known?: ReadonlyMap<string, ReferencedSegment>,
): Promise<MemberCondition> {
  const rule = ruleOf(segment);
  if (segment.type === "static" || !rule) return listedIn(segment.id);
  return compileRule(rule, deps.clock.now(), known ?? (await referencedSegments(deps, segment.programId)));
}

/** A checked rule: its problems (none for a valid one), and the program's segments as it references them. */
export type CheckedRule = {
  problems: RuleProblem[];
  rule: Rule;
  known: Map<string, ReferencedSegment & { segment: Segment }>;
};

/**
 * The problems of `rule`, each at its JSON path under `at` (default "rule"): the grammar (with `extra` fields beside
 * the member's, whose SQL `columns` gives), segments that are not the program's or that lead back to `cycleOf` (the
 * segment being written), and a rule too large once its segments are inlined. With no problems, `rule` is valid.
 */
export async function ruleProblems(
  deps: Pick<Deps, "db">,
  programId: string,
  rule: unknown,
  options: { at?: string; extra?: ExtraFields; columns?: Readonly<Record<string, string>>; cycleOf?: string } = {},
): Promise<CheckedRule> {
  const at = options.at ?? "rule";
  const { problems, references } = checkRule(rule, at, options.extra);
  const known = await referencedSegments(deps, programId);
  for (const id of references) {
    if (!known.has(id))
      problems.push({ path: at, message: `references ${id}, which is not a segment of ${programId}` });
    else if (options.cycleOf && reaches(known, id, options.cycleOf))
      problems.push({ path: at, message: `references ${id}, which leads back to ${options.cycleOf}: a cycle` });
  }
  if (problems.length === 0) {
    const length = compileRule(rule as Rule, new Date(0), known, options.columns).sql.length;
    if (length > maxCompiledRuleLength)
      problems.push({
        path: at,
        message: `with the segments it references inlined, is too large (${length} characters of SQL; at most ${maxCompiledRuleLength}): reference fewer or smaller segments`,
      });
  }
  return { problems, rule: rule as Rule, known };
}

/**
 * 400 unless `rule` is a valid rule whose segments exist in the program and lead back to no segment in `cycleOf`
 * (the segment being written): each problem at its JSON path.
 */
async function checkedRule(deps: Pick<Deps, "db">, programId: string, rule: unknown, cycleOf?: string) {
  const { problems, known } = await ruleProblems(deps, programId, rule, { cycleOf });
  if (problems.length > 0)
    throw new ApiError("validation_failed", `The rule is not valid: ${problems[0]?.path} ${problems[0]?.message}.`, {
      errors: problems,
    });
  const valid = rule as Rule;
  // The segment being written as it will be, so the recount inlines the new rule.
  if (cycleOf) {
    const current = known.get(cycleOf);
    if (current) known.set(cycleOf, { ...current, rule: valid });
  }
  return { rule: valid, known };
}

/** Whether segment `from`, through the rules it references, reaches segment `target`. */
function reaches(known: ReadonlyMap<string, ReferencedSegment>, from: string, target: string): boolean {
  const seen = new Set<string>();
  const walk = (id: string): boolean => {
    if (id === target) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    const rule = known.get(id)?.rule;
    return rule ? referencesOf(rule).some(walk) : false;
  };
  return walk(from);
}

/** The segment as the caller may manage it: the program's owner or the operator; 403 or 404 as for programs. */
export async function managedSegment(deps: Pick<Deps, "db">, caller: Caller, id: string) {
  const segment = await findSegmentById(deps.db, id);
  if (!segment) throw new ApiError("not_found", `No segment ${id}.`);
  try {
    return { segment, program: await managedProgram(deps, caller, segment.programId) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") throw new ApiError("not_found", `No segment ${id}.`);
    throw error;
  }
}

/**
 * Creates a segment (the program's owner or the operator). A dynamic one needs a valid rule, counted in the same
 * write (its members recorded with when they joined); a static one (a marketing list) has none and starts empty.
 */
export async function createSegment(
  deps: SegmentDeps,
  caller: Caller,
  programId: string,
  input: { name: string; description: string | null; type: Segment["type"]; rule?: unknown },
): Promise<Segment> {
  const program = await managedProgram(deps, caller, programId);
  const now = deps.clock.now();
  const segment: Segment = {
    id: deps.ids("seg"),
    programId: program.id,
    name: input.name,
    description: input.description,
    type: input.type,
    rule: null,
    memberCount: 0,
    countedAt: now,
    createdAt: now,
    updatedAt: now,
  };
  if (input.type === "static") {
    if (input.rule !== undefined && input.rule !== null)
      throw ruleProblem("rule", "a static segment has no rule: add its members with POST /v1/segments/{id}/members");
    await deps.writer.write([insertSegmentStatement(segment), bumpPromotionsVersionStatement(program.id)]);
    return segment;
  }
  if (input.rule === undefined || input.rule === null) throw ruleProblem("rule", "is required for a dynamic segment");
  const { rule, known } = await checkedRule(deps, program.id, input.rule);
  const written = { ...segment, rule: JSON.stringify(rule) };
  await deps.writer.write([
    insertSegmentStatement(written),
    ...recountStatements(written, compileRule(rule, now, known), now),
    bumpPromotionsVersionStatement(program.id),
  ]);
  return found(deps, written.id);
}

const ruleProblem = (path: string, message: string) =>
  new ApiError("validation_failed", `${path} ${message}.`, { errors: [{ path, message }] });

async function found(deps: Pick<Deps, "db">, id: string): Promise<Segment> {
  const segment = await findSegmentById(deps.db, id);
  if (!segment) throw new ApiError("not_found", `No segment ${id}.`);
  return segment;
}

/** Changes a segment's name, description or (dynamic) rule; a new rule is recounted in the same write. */
export async function updateSegment(
  deps: SegmentDeps,
  caller: Caller,
  id: string,
  changes: { name?: string; description?: string | null; rule?: unknown },
): Promise<Segment> {
  const { segment } = await managedSegment(deps, caller, id);
  const now = deps.clock.now();
  const next = {
    name: changes.name ?? segment.name,
    description: changes.description === undefined ? segment.description : changes.description,
    rule: segment.rule,
    updatedAt: now,
  };
  if (changes.rule === undefined) {
    await deps.writer.write([updateSegmentStatement(id, next)]);
    return found(deps, id);
  }
  if (segment.type === "static") throw ruleProblem("rule", "a static segment has no rule");
  const { rule, known } = await checkedRule(deps, segment.programId, changes.rule, id);
  await deps.writer.write([
    updateSegmentStatement(id, { ...next, rule: JSON.stringify(rule) }),
    ...recountStatements(segment, compileRule(rule, now, known), now),
    bumpPromotionsVersionStatement(segment.programId),
  ]);
  return found(deps, id);
}

/**
 * Deletes a segment; 409 while another segment's rule references it or a campaign targets it (change those first:
 * a campaign's responders are counted from its segments).
 */
export async function deleteSegment(deps: SegmentDeps, caller: Caller, id: string): Promise<Segment> {
  const { segment } = await managedSegment(deps, caller, id);
  const campaigns = await findCampaignsTargeting(deps.db, id);
  if (campaigns.length > 0)
    throw new ApiError(
      "conflict",
      `Segment ${id} is targeted by campaign ${campaigns.map((campaign) => `${campaign.id} (${campaign.name})`).join(", ")}: take it out of their segment_ids first.`,
    );
  const known = await referencedSegments(deps, segment.programId);
  const referrers = [...known.values()].filter(
    (other) => other.segment.id !== id && other.rule && referencesOf(other.rule).includes(id),
  );
  if (referrers.length > 0)
    throw new ApiError(
      "conflict",
      `Segment ${id} is used by the rule of ${referrers.map((other) => `${other.segment.id} (${other.segment.name})`).join(", ")}: change those first.`,
    );
  await deps.writer.write([...deleteSegmentStatements(id), bumpPromotionsVersionStatement(segment.programId)]);
  return segment;
}

/** A segment for its program's owner or the operator. */
export async function getSegment(deps: Pick<Deps, "db">, caller: Caller, id: string): Promise<Segment> {
  return (await managedSegment(deps, caller, id)).segment;
}

/** A page of a program's segments, newest first. */
export async function listSegments(deps: Pick<Deps, "db">, caller: Caller, programId: string, query: PageQuery) {
  const program = await managedProgram(deps, caller, programId);
  return listSegmentsPage(deps.db, program.id, query);
}

/** What a rule would select now, writing nothing: the count and the newest few members. */
export async function previewSegment(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  rule: unknown,
  sampleSize = 10,
): Promise<{ program: Program; memberCount: number; sample: Awaited<ReturnType<typeof listMembersWhere>> }> {
  const program = await managedProgram(deps, caller, programId);
  const checked = await checkedRule(deps, program.id, rule);
  const where = compileRule(checked.rule, deps.clock.now(), checked.known);
  const [memberCount, sample] = await Promise.all([
    countMembers(deps.reader, program.id, where),
    listMembersWhere(deps.reader, program.id, where, sampleSize),
  ]);
  return { program, memberCount, sample };
}

/** Recounts a segment now (its rows and `member_count`). */
export async function recountSegment(deps: Pick<Deps, "db" | "writer" | "clock">, segment: Segment) {
  const now = deps.clock.now();
  const where = await segmentCondition(deps, segment);
  await deps.writer.write(recountStatements(segment, where, now));
}
