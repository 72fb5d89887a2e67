import { stringify } from "csv-stringify/sync";
import { findMemberId } from "../../db/queries/members";
import type { PageQuery } from "../../db/queries/pages";
import { compileRule, type Rule } from "../../db/queries/segment-rules";
import {
  addListMembersStatements,
  findMemberListIds,
  findMembersByExternalIds,
  listMembersWhere,
  listMembersWherePage,
  listProgramSegments,
  memberMeets,
  removeListMemberStatements,
} from "../../db/queries/segments";
import type { Deps } from "../../deps";
import { ApiError } from "../../errors";
import { neutralise } from "../csv-cells";
import { type Caller, managedProgram } from "../programs";
import { managedSegment, ruleOf, type Segment, segmentCondition } from "./segments";

/** The most external ids one request adds to a list. */
export const maxListAdditions = 10_000;

/**
 * The segments a member is in now: static lists by the member's rows, dynamic rules evaluated for this member
 * alone (a column per segment, in one query for up to 50), never scanning the program.
 */
export async function memberSegments(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  externalId: string,
): Promise<Segment[]> {
  const program = await managedProgram(deps, caller, programId);
  const memberId = await findMemberId(deps.reader, program.id, externalId);
  if (!memberId) throw new ApiError("not_found", `No member ${externalId} in program ${program.id}.`);
  const all = await listProgramSegments(deps.db, program.id);
  const known = new Map(all.map((segment) => [segment.id, { type: segment.type, rule: ruleOf(segment) }]));
  const now = deps.clock.now();
  const dynamic = all.filter((segment) => segment.type === "dynamic");
  const [listed, meets] = await Promise.all([
    findMemberListIds(deps.reader, memberId),
    memberMeets(
      deps.reader,
      memberId,
      dynamic.map((segment) => compileRule(ruleOf(segment) as Rule, now, known)),
    ),
  ]);
  const met = new Set(dynamic.filter((_, index) => meets[index]).map((segment) => segment.id));
  return all.filter((segment) => (segment.type === "static" ? listed.has(segment.id) : met.has(segment.id)));
}

async function staticSegment(deps: Pick<Deps, "db">, caller: Caller, id: string) {
  const managed = await managedSegment(deps, caller, id);
  if (managed.segment.type !== "static")
    throw new ApiError(
      "invalid_state",
      `Segment ${id} is dynamic: its rule decides who is in it (PATCH the rule), so members cannot be added or removed.`,
    );
  return managed;
}

/**
 * Adds members to a static segment by external id, in one atomic write: those already in it stay as they were
 * (`already`), external ids that are no member of the program are listed back (`unknown`, in the order sent) and
 * nothing else is refused. A repeated id counts once.
 */
export async function addListMembers(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock">,
  caller: Caller,
  id: string,
  externalIds: readonly string[],
): Promise<{ added: number; already: number; unknown: string[] }> {
  const { segment } = await staticSegment(deps, caller, id);
  const distinct = [...new Set(externalIds)];
  const found = await findMembersByExternalIds(deps.reader, segment.programId, distinct);
  const unknown = distinct.filter((externalId) => !found.has(externalId));
  const rows = await deps.writer.write(addListMembersStatements(segment.id, [...found.values()], deps.clock.now()));
  const before = Number(rows[0]?.[0]?.before ?? 0);
  const after = Number(rows.at(-1)?.[0]?.after ?? 0);
  return { added: after - before, already: found.size - (after - before), unknown };
}

/** Takes a member off a static segment; 404 when it is not on it. Answers the segment as it is now. */
export async function removeListMember(
  deps: Pick<Deps, "db" | "reader" | "writer" | "clock">,
  caller: Caller,
  id: string,
  externalId: string,
): Promise<Segment> {
  const { segment } = await staticSegment(deps, caller, id);
  const memberId = await findMemberId(deps.reader, segment.programId, externalId);
  const rows = memberId
    ? await deps.writer.write(removeListMemberStatements(segment.id, memberId, deps.clock.now()))
    : [];
  if ((rows[0]?.length ?? 0) === 0) throw new ApiError("not_found", `Member ${externalId} is not in segment ${id}.`);
  return (await managedSegment(deps, caller, id)).segment;
}

/** A page of the members a segment holds now (a dynamic rule evaluated at request time), newest first. */
export async function segmentMembersPage(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  id: string,
  query: PageQuery,
) {
  const { segment, program } = await managedSegment(deps, caller, id);
  const where = await segmentCondition(deps, segment);
  return { program, page: await listMembersWherePage(deps.reader, program.id, where, query) };
}

/**
 * Everyone a segment holds now as CSV for campaign tools (RFC 4180, CRLF, a header row; cells that would start a
 * spreadsheet formula neutralised): external_id, email, name, tier.
 */
export async function segmentMembersCsv(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  id: string,
): Promise<{ segment: Segment; csv: string }> {
  const { segment, program } = await managedSegment(deps, caller, id);
  const where = await segmentCondition(deps, segment);
  const everyone = await listMembersWhere(deps.reader, program.id, where);
  const rows = everyone.map((member) =>
    [member.externalId, member.email ?? "", member.name ?? "", member.tierKey ?? ""].map(neutralise),
  );
  return {
    segment,
    csv: stringify([["external_id", "email", "name", "tier"], ...rows], { record_delimiter: "\r\n" }),
  };
}
