import type { measureCounts, measureMembership, Timing } from "./segments-measure";
import type { RfmSummary, SeedPath } from "./segments-population";
import type { createSegments } from "./segments-rules";

type Counts = Awaited<ReturnType<typeof measureCounts>>;
type Membership = Awaited<ReturnType<typeof measureMembership>>;
type Created = Awaited<ReturnType<typeof createSegments>>;

/** Issue 17's targets; printed next to the figures, never asserted. */
export const segmentTargets = { countMs: 2000, membershipDbMs: 1 };

const int = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => (value >= 100 ? int(value) : value >= 1 ? value.toFixed(1) : value.toFixed(3));
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const spread = (t: Timing) =>
  `median ${ms(t.median)} ms, p99 ${ms(t.p99)} ms, max ${ms(t.max)} ms (${int(t.runs)} runs)`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function segmentsReport(input: {
  header: string;
  seeding: {
    path: SeedPath;
    members: number;
    earns: number;
    historySeconds: number;
    rfmSeconds: number;
    rfm: RfmSummary;
  };
  tiers: Record<string, number>;
  created: Created;
  counts: Counts;
  membership: Membership;
}): string {
  const { seeding, created, counts, membership } = input;
  const lines = [input.header, ""];
  lines.push(
    `Seeding (${seeding.path === "api" ? "through the API" : "the domain's enrolMember and earn"}): ` +
      `${int(seeding.members)} members and ${int(seeding.earns)} earns over ${int(seeding.historySeconds)} s ` +
      `(${int((seeding.members + seeding.earns) / seeding.historySeconds)} writes/s); ` +
      `RFM recompute ${seeding.rfmSeconds.toFixed(2)} s, ${int(seeding.rfm.members_scored)} members scored`,
    `  tiers: ${Object.entries(input.tiers)
      .map(([tier, count]) => `${tier} ${int(count)}`)
      .join(", ")}`,
    `  rfm: ${seeding.rfm.segments.map((row) => `${row.segment} ${int(row.members)}`).join(", ")}`,
    `  static list: ${int(created.list.added)} members added in one POST in ${ms(created.list.addSeconds * 1000)} ms`,
    "",
  );

  const createdById = new Map(created.created.map((segment) => [segment.id, segment]));
  const rows = [
    ["segment", "type", "members", "create ms", "count db median ms", "max ms", `< ${int(segmentTargets.countMs)} ms`],
  ];
  for (const { segment, members, db } of counts.perSegment) {
    const write = createdById.get(segment.id);
    rows.push([
      `${segment.id === counts.headline.segment.id ? "* " : "  "}${segment.name}`,
      segment.type,
      int(members),
      write ? ms(write.seconds * 1000) : "-",
      ms(db.median),
      ms(db.max),
      verdict(db.max < segmentTargets.countMs),
    ]);
  }
  lines.push(
    "(a) Counting, per segment: db countMembers over the domain's segmentCondition (create: POST, counted and its rows written in the same write)",
    table(rows),
    "",
  );
  const { headline, baselines } = counts;
  const countStar = baselines.countStar.median;
  const headlineDb = headline.count?.db;
  const previewOk = headline.preview.median < segmentTargets.countMs && headline.preview.max < segmentTargets.countMs;
  lines.push(
    `* headline: ${headline.segment.name} (${int(headline.count?.members ?? 0)} members)`,
    `  POST /v1/segments/preview over HTTP: ${spread(headline.preview)}  ` +
      `${verdict(previewOk)} (count < ${int(segmentTargets.countMs)} ms)`,
    `    of which db countMembers ${headlineDb ? spread(headlineDb) : "-"}`,
    `    and db listMembersWhere (the 10-member sample) ${spread(headline.sample)}`,
    `  baseline count(*) of the program's members (index only): ${spread(baselines.countStar)}`,
    `  baseline a rule that reads every member row (lifetime_earned >= 0): ${spread(baselines.everyRow)}`,
    `  headline count / count(*): ${headlineDb ? (headlineDb.median / countStar).toFixed(0) : "-"}x; ` +
      `headline count / every-row rule: ${headlineDb ? (headlineDb.median / baselines.everyRow.median).toFixed(1) : "-"}x`,
    "",
  );

  const target = segmentTargets.membershipDbMs;
  lines.push(
    `(b) One member's membership in all ${membership.segments} segments (${int(membership.db.runs)} members at random)`,
    `  db memberMeets, compiled anew for each member (new SQL text, prepared each time): ${spread(membership.db)}  ` +
      `${verdict(membership.db.median < target)} median, ${verdict(membership.db.p99 < target)} p99 (< ${target} ms of db time)`,
    `  compile + db memberMeets, as the route does (the clock's now: the same text within a millisecond): ${spread(membership.compileAndDb)}`,
    `  db memberMeets, the same SQL each time (a cached statement, execution only): ${spread(membership.prepared)}`,
    `  baseline one member row read by id (cached statement): ${spread(membership.pointRead)}`,
    `  memberMeets / point read: ${(membership.db.median / membership.pointRead.median).toFixed(0)}x prepared each time, ` +
      `${(membership.prepared.median / membership.pointRead.median).toFixed(0)}x cached`,
    `  domain memberSegments (program, member id, segments, membership: every read of the route): ${spread(membership.domain)}`,
    `  GET /v1/programs/{id}/members/{external_id}/segments over HTTP: ${spread(membership.http)}`,
    `  baseline GET /v1/programs/{id}/members/{external_id} over HTTP: ${spread(membership.httpMember)}`,
    `  segments GET / member GET: ${(membership.http.median / membership.httpMember.median).toFixed(1)}x`,
    "",
    "EXPLAIN QUERY PLAN, headline count (db countMembers):",
    ...headline.plans.count,
    "EXPLAIN QUERY PLAN, headline sample (db listMembersWhere, newest 10):",
    ...headline.plans.sample,
    "",
    `EXPLAIN QUERY PLAN, one member in all ${membership.segments} segments (distinct steps, with how often each occurs):`,
    ...distinctSteps(membership.plan),
  );
  return lines.join("\n");
}

/** The membership query's plan repeats the same few look-ups once per condition: each step once, counted. */
function distinctSteps(plan: string[]): string[] {
  const counts = new Map<string, number>();
  for (const step of plan) {
    const detail = step.trim().replace(/ \d+$/, "");
    counts.set(detail, (counts.get(detail) ?? 0) + 1);
  }
  return [...counts].map(([detail, count]) => `  ${String(count).padStart(3)} x ${detail}`);
}
