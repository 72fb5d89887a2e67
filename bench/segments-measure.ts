import { findMemberId } from "../gateway/src/db/queries/members";
import { compileRule } from "../gateway/src/db/queries/segment-rules";
import {
  countMembers,
  listMembersWhere,
  listProgramSegments,
  type MemberCondition,
  memberMeets,
} from "../gateway/src/db/queries/segments";
import type { SqlReader } from "../gateway/src/db/reader";
import type { SqlValue } from "../gateway/src/db/writer";
import { memberSegments } from "../gateway/src/domain/segments/membership";
import { ruleOf, type Segment, segmentCondition } from "../gateway/src/domain/segments/segments";
import type { BenchGateway } from "./gateway";
import type { OffsetClock } from "./offset-clock";
import { externalId } from "./segments-population";

/** Milliseconds of a set of runs: median, p95, p99 and max. */
export type Timing = { runs: number; median: number; p95: number; p99: number; max: number };

export function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { runs: sorted.length, median: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** Deterministic picks, so every run times the same members. */
function picks(count: number, of: number): number[] {
  let state = 20_260_117;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state % of;
  });
}

/** A rule that holds for every member but reads its row: the floor of any rule over a column of `members`. */
const everyRow = compileRule({ field: "lifetime_earned", op: "gte", value: 0 }, new Date(), new Map());
/** No condition at all: `count(*)` of the program's members, answered from the members_program index. */
const noCondition: MemberCondition = { sql: "1", args: [] };

/**
 * (a) Counting: each segment's count query as the gateway runs it (domain segmentCondition compiled at the
 * clock's now, then db countMembers), `runs` times; the two baselines over the same rows; and the win-back
 * headline's preview as a partner calls it, over HTTP, next to the two queries that answer it.
 */
export async function measureCounts(
  gw: BenchGateway,
  input: { programId: string; token: string; headlineId: string; runs: number },
) {
  const { deps } = gw;
  const segments = await listProgramSegments(deps.db, input.programId);
  const perSegment: { segment: Segment; members: number; db: Timing }[] = [];
  for (const segment of segments) {
    const samples: number[] = [];
    let members = 0;
    for (let run = 0; run < input.runs; run++) {
      const where = await segmentCondition(deps, segment);
      const { ms, result } = await timed(() => countMembers(deps.reader, input.programId, where));
      samples.push(ms);
      members = result;
    }
    perSegment.push({ segment, members, db: timing(samples) });
  }
  const repeat = async (work: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let run = 0; run < input.runs; run++) samples.push((await timed(work)).ms);
    return timing(samples);
  };
  const baselines = {
    countStar: await repeat(() => countMembers(deps.reader, input.programId, noCondition)),
    everyRow: await repeat(() => countMembers(deps.reader, input.programId, everyRow)),
  };

  const headline = segments.find((segment) => segment.id === input.headlineId);
  if (!headline) throw new Error("the headline segment is gone");
  const headlineWhere = await segmentCondition(deps, headline);
  const sample = await repeat(() => listMembersWhere(deps.reader, input.programId, headlineWhere, 10));
  const preview = await repeat(async () => {
    const response = await fetch(`${gw.url}/v1/segments/preview`, {
      method: "POST",
      headers: { authorization: `Bearer ${input.token}`, "content-type": "application/json" },
      body: JSON.stringify({ program_id: input.programId, rule: ruleOf(headline) }),
    });
    if (response.status !== 200) throw new Error(`preview: ${response.status} ${await response.text()}`);
    await response.json();
  });
  const headlineCount = perSegment.find((row) => row.segment.id === headline.id);
  const plans = {
    count: await queryPlan(gw, (reader) => countMembers(reader, input.programId, headlineWhere)),
    sample: await queryPlan(gw, (reader) => listMembersWhere(reader, input.programId, headlineWhere, 10)),
  };
  return { perSegment, baselines, headline: { segment: headline, count: headlineCount, sample, preview, plans } };
}

/**
 * (b) One member's membership in every segment of the program: db memberMeets over the conditions the domain
 * compiles (one query, a column per segment) for `samples` members at random: compiled at the clock's now for
 * each as the route does, timed with the compile and, with the clock a millisecond on each time, alone (its `now`
 * literals make new SQL text, so each is prepared: the worst case); and compiled once (a cached statement:
 * execution only); a point read of one member row as the baseline; the domain's memberSegments, every read the
 * route makes; then the route over HTTP next to the member GET.
 */
export async function measureMembership(
  gw: BenchGateway,
  input: { programId: string; partnerId: string; token: string; members: number; samples: number; clock: OffsetClock },
) {
  const { deps } = gw;
  const segments = await listProgramSegments(deps.db, input.programId);
  const known = new Map(segments.map((segment) => [segment.id, { type: segment.type, rule: ruleOf(segment) }]));
  const conditionsNow = () => Promise.all(segments.map((segment) => segmentCondition(deps, segment, known)));
  const chosen = picks(input.samples, input.members);
  const ids: string[] = [];
  for (const index of chosen) {
    const id = await findMemberId(deps.reader, input.programId, externalId(index));
    if (!id) throw new Error(`no member ${externalId(index)}`);
    ids.push(id);
  }
  const compiledOnce = await conditionsNow();
  const sampleAll = async (work: (memberId: string) => Promise<unknown>) => {
    const samples: number[] = [];
    for (const id of ids) samples.push((await timed(() => work(id))).ms);
    return timing(samples);
  };
  // Warm the pages the members' rows and facts live on, as a busy gateway has them.
  await sampleAll((id) => memberMeets(deps.reader, id, compiledOnce));
  // As the route does it: compiled at the clock's now for each member, then the one query.
  const compileAndDb = await sampleAll(async (id) => memberMeets(deps.reader, id, await conditionsNow()));
  // The worst case of that: a new SQL text every time (requests a millisecond apart or more), never cached.
  const db: number[] = [];
  for (const id of ids) {
    input.clock.moveTo(new Date(input.clock.now().getTime() + 1));
    const conditions = await conditionsNow();
    db.push((await timed(() => memberMeets(deps.reader, id, conditions))).ms);
  }
  const prepared = await sampleAll((id) => memberMeets(deps.reader, id, compiledOnce));
  const pointRead = await sampleAll((id) => memberMeets(deps.reader, id, [everyRow]));
  // Everything the route asks of the domain: the program, the member's id, the segments, then the membership.
  const caller = { partnerId: input.partnerId };
  const domainSamples: number[] = [];
  for (const index of chosen)
    domainSamples.push((await timed(() => memberSegments(deps, caller, input.programId, externalId(index)))).ms);

  const get = (path: string) => async () => {
    const response = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${input.token}` } });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    await response.json();
  };
  const httpAll = async (path: (external: string) => string) => {
    const samples: number[] = [];
    for (const index of chosen) samples.push((await timed(get(path(externalId(index))))).ms);
    return timing(samples);
  };
  const base = `/v1/programs/${input.programId}/members`;
  await httpAll((external) => `${base}/${external}/segments`);
  const http = await httpAll((external) => `${base}/${external}/segments`);
  const httpMember = await httpAll((external) => `${base}/${external}`);
  return {
    segments: segments.length,
    compileAndDb,
    db: timing(db),
    prepared,
    pointRead,
    domain: timing(domainSamples),
    http,
    httpMember,
    plan: await queryPlan(gw, (reader) => memberMeets(reader, ids[0] as string, compiledOnce)),
  };
}

/**
 * EXPLAIN QUERY PLAN of the statement `query` runs, one line per step, indented by depth: the query function
 * runs once against a reader that records its SQL, so the plan is of the gateway's own text.
 */
export async function queryPlan(gw: BenchGateway, query: (reader: SqlReader) => Promise<unknown>): Promise<string[]> {
  let statement: { sql: string; args: SqlValue[] } | undefined;
  const recording: SqlReader = {
    all: (sql, args = []) => {
      statement = { sql, args };
      return gw.deps.reader.all(sql, args);
    },
    first: (sql, args = []) => {
      statement = { sql, args };
      return gw.deps.reader.first(sql, args);
    },
  };
  await query(recording);
  if (!statement) throw new Error("the query ran no statement");
  const rows = await gw.deps.reader.all<{ id: number; parent: number; detail: string }>(
    `explain query plan ${statement.sql}`,
    statement.args,
  );
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((row) => {
    const level = (depth.get(row.parent) ?? 0) + 1;
    depth.set(row.id, level);
    return `${"  ".repeat(level)}${row.detail}`;
  });
}
