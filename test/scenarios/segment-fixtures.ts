import { expect } from "vitest";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Target } from "./target";
import { dayMs, tieredProgram } from "./tier-fixtures";

// The segment scenarios' population (segment-rules.ts) and a rule evaluator of the test's own, written from the
// contract (API-programs.md "Segments and RFM", the README's RFM table), never from the gateway's code.

export type Scalar = string | number | boolean;
export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | { field: string; op: string; value: unknown };

type Earn = { id: string; at: number; points: number; reversed: boolean };
type Rfm = { r: number; f: number; m: number; segment: string };

/** A member as the test seeded it, and so what a rule may read of it. */
export type Seeded = {
  externalId: string;
  createdAt: number;
  locale?: string;
  attributes: Record<string, Scalar>;
  earns: Earn[];
  burned: number;
  rfm?: Rfm;
};

/** A segment as a rule naming it sees it: a static list of external ids, or a dynamic rule. */
type Known = { type: "static"; members: Set<string> } | { type: "dynamic"; rule: Rule };

/** Blue for everyone, Silver from 1,000 points, Gold from 5,000, over a year; no bonus, so points are as earned. */
const tiers = {
  qualification_window_days: 365,
  tiers: [
    { key: "blue", name: "Blue", earn_bonus_bps: 0, upgrade_bonus_points: 0 },
    { key: "silver", name: "Silver", min_points: 1000, earn_bonus_bps: 0, upgrade_bonus_points: 0 },
    { key: "gold", name: "Gold", min_points: 5000, earn_bonus_bps: 0, upgrade_bonus_points: 0 },
  ],
};

/** The R-by-F segments of the README's table: rfmGrid[r-1][f-1]. */
const rfmGrid = [
  ["lost", "lost", "at_risk", "at_risk", "cannot_lose"],
  ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
  ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
  ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
  ["new_customers", "potential_loyalist", "potential_loyalist", "champions", "champions"],
];

const live = (member: Seeded) => member.earns.filter((earn) => !earn.reversed);
const earned = (member: Seeded) => live(member).reduce((sum, earn) => sum + earn.points, 0);

/** What a condition's field reads of a member at `now`; undefined when the member lacks it. */
function fieldOf(field: string, member: Seeded, now: number): Scalar | undefined {
  if (field.startsWith("attributes.")) {
    const key = field.slice("attributes.".length);
    return Object.hasOwn(member.attributes, key) ? member.attributes[key] : undefined;
  }
  const last = Math.max(...live(member).map((earn) => earn.at));
  switch (field) {
    case "tier": // every earn of the seeding is in the window, none reversed in part
      return earned(member) >= 5000 ? "gold" : earned(member) >= 1000 ? "silver" : "blue";
    case "locale":
      return member.locale;
    case "balance.available":
      return earned(member) - member.burned;
    case "lifetime_earned": // earns, net of their reversals
      return earned(member);
    case "days_since_last_earn":
      return live(member).length > 0 ? Math.floor((now - last) / dayMs) : undefined;
    case "days_since_enrolment":
      return Math.floor((now - member.createdAt) / dayMs);
    case "rfm.r":
    case "rfm.f":
    case "rfm.m":
    case "rfm.segment":
      return member.rfm?.[field.slice(4) as keyof Rfm];
  }
  throw new Error(`the test's evaluator knows no field ${field}`);
}

/** Equal as the contract types attributes: the string "1", the number 1 and true never are. */
const same = (x: Scalar, y: unknown) => typeof x === typeof y && x === y;

/** Whether `rule` selects `member` at `now`, `segments` being the program's segments by id. */
export function holds(rule: Rule, member: Seeded, segments: ReadonlyMap<string, Known>, now: number): boolean {
  if ("all" in rule) return rule.all.every((child) => holds(child, member, segments, now));
  if ("any" in rule) return rule.any.some((child) => holds(child, member, segments, now));
  if ("not" in rule) return !holds(rule.not, member, segments, now);
  const values = [rule.value].flat();
  if (rule.field === "segment") {
    const inOne = values.some((id) => {
      const segment = segments.get(id as string);
      if (!segment) throw new Error(`the test names an unknown segment ${id}`);
      return segment.type === "static"
        ? segment.members.has(member.externalId)
        : holds(segment.rule, member, segments, now);
    });
    return rule.op === "eq" || rule.op === "in" ? inOne : !inOne;
  }
  const actual = fieldOf(rule.field, member, now);
  // A condition on a value the member lacks is false; neq and nin are the exact opposite of eq and in.
  const equalsOne = actual !== undefined && values.some((value) => same(actual, value));
  const number = typeof actual === "number" ? actual : undefined;
  const bound = rule.value as number;
  switch (rule.op) {
    case "eq":
    case "in":
      return equalsOne;
    case "neq":
    case "nin":
      return !equalsOne;
    case "exists":
      return (actual !== undefined) === rule.value;
    case "contains":
      return typeof actual === "string" && actual.includes(rule.value as string);
    case "gt":
      return number !== undefined && number > bound;
    case "gte":
      return number !== undefined && number >= bound;
    case "lt":
      return number !== undefined && number < bound;
    case "lte":
      return number !== undefined && number <= bound;
  }
  throw new Error(`the test's evaluator knows no op ${rule.op}`);
}

/**
 * RFM as the contract scores it: members with an earn (not fully reversed) in the last 365 days; R days since
 * the last, F how many, M their points (no purchases here); each score 1 + floor(5 b / n), b the members strictly
 * worse (more days, fewer earns, less spend); the segment from R and F.
 */
function scoreRfm(members: Seeded[], now: number) {
  const raw = members
    .filter((member) => live(member).some((earn) => now - earn.at <= 365 * dayMs))
    .map((member) => ({
      member,
      r: Math.floor((now - Math.max(...live(member).map((earn) => earn.at))) / dayMs),
      f: live(member).length,
      m: earned(member),
    }));
  /** 1 + floor(5 b / n), b the members whose `key` is strictly worse than `value`. */
  const score = (key: "r" | "f" | "m", worse: (other: number) => boolean) =>
    1 + Math.floor((5 * raw.filter((other) => worse(other[key])).length) / raw.length);
  for (const { member, r, f, m } of raw) {
    const scores = {
      r: score("r", (other) => other > r),
      f: score("f", (other) => other < f),
      m: score("m", (other) => other < m),
    };
    member.rfm = { ...scores, segment: rfmGrid[scores.r - 1]?.[scores.f - 1] ?? "none" };
  }
}

/**
 * A tiered program (Blue, Silver 1,000, Gold 5,000) and seven members with known profiles and histories over 30
 * days (see the seeding below), each enrolled a minute after the one before so "newest first" is a known order.
 * Answers helpers to preview, create and read segments as the owner, and the members a rule must select.
 */
export async function seedPopulation(gw: Gateway, target: Target) {
  const program = await tieredProgram(gw, tiers);
  const members: Seeded[] = [];
  const seeded = (externalId: string) => members.find((member) => member.externalId === externalId) as Seeded;
  const enrol = async (externalId: string, locale: string | undefined, attributes: Record<string, Scalar>) => {
    target.clock.advance(60_000);
    const answer = await gw.call("POST", `/v1/programs/${program.programId}/members`, {
      as: program.owner,
      body: { external_id: externalId, locale, attributes },
    });
    const member = expectBody(answer, op.enrolMember, 201);
    members.push({ externalId, createdAt: Date.parse(member.created_at), locale, attributes, earns: [], burned: 0 });
  };
  const earn = async (externalId: string, points: number) => {
    const transaction = await program.earn(externalId, points);
    const earn = { id: transaction.id, at: Date.parse(transaction.created_at), points, reversed: false };
    seeded(externalId).earns.push(earn);
    return earn;
  };
  const reverseWhole = async (earn: Earn) => {
    expectBody(await program.reverse(earn.id), op.reverseTransaction, 201);
    earn.reversed = true;
  };
  const burn = async (externalId: string, points: number) => {
    await program.burn(externalId, points);
    seeded(externalId).burned += points;
  };

  // Day 0: A (Gold), B (Silver), C. Attributes of every type; `code` is "1", 1 and true; `note` has % _ and '.
  await enrol("A", "en", { brand: "x", visits: 3, vip: true, code: "1", note: "plain", "shoe.size-eu": 42 });
  await earn("A", 6000);
  await enrol("B", "pt-BR", { brand: "y", visits: 10, vip: false, code: 1, note: "50%_off" });
  await earn("B", 1200);
  await enrol("C", undefined, { brand: "X", visits: "3", code: true });
  // Day 10: D and E enrol; C, D and E earn.
  target.clock.advance(10 * dayMs);
  await enrol("D", "en", { brand: "x-large", visits: 0, vip: "true", note: "50 percent" });
  await enrol("E", "fr", { visits: 2.5, note: "5_0" });
  await earn("C", 100);
  await earn("D", 200);
  const lone = await earn("E", 50);
  // Day 20: F (nothing at all) and G enrol; A burns; D's second earn and E's only earn are reversed whole.
  target.clock.advance(10 * dayMs);
  await enrol("F", undefined, {});
  await enrol("G", "pt-PT", { brand: "y", visits: -1, note: "it's" });
  await earn("G", 400);
  await burn("A", 1000);
  await reverseWhole(await earn("D", 300));
  await reverseWhole(lone);
  // Day 25: B earns again, C spends all it has. Then half a day past day 30, scored for RFM.
  target.clock.advance(5 * dayMs);
  await earn("B", 300);
  await burn("C", 100);
  target.clock.advance(5 * dayMs + 12 * 3_600_000);
  expectBody(
    await gw.call("POST", `/v1/programs/${program.programId}/rfm/recompute`, { as: program.owner }),
    op.recomputeRfm,
    202,
  );
  scoreRfm(members, target.clock.now().getTime());

  const segments = new Map<string, Known>();
  /** The external ids `rule` selects now, newest first. */
  const selected = (rule: Rule) => {
    const now = target.clock.now().getTime();
    return members
      .filter((member) => holds(rule, member, segments, now))
      .sort((x, y) => y.createdAt - x.createdAt)
      .map((member) => member.externalId);
  };
  const create = async (body: Record<string, unknown>) => {
    const answer = await gw.call("POST", `/v1/programs/${program.programId}/segments`, { as: program.owner, body });
    return expectBody(answer, op.createSegment, 201);
  };
  /** A dynamic segment of `rule`, known to the evaluator from now on. */
  const createDynamic = async (rule: Rule, name = JSON.stringify(rule).slice(0, 200)) => {
    const segment = await create({ name, type: "dynamic", rule });
    segments.set(segment.id, { type: "dynamic", rule });
    return segment;
  };
  /** A static list holding `externalIds`. */
  const createStatic = async (name: string, externalIds: string[]) => {
    const segment = await create({ name, type: "static" });
    const added = await gw.call("POST", `/v1/segments/${segment.id}/members`, {
      as: program.owner,
      body: { external_ids: externalIds },
    });
    expect(expectBody(added, op.addSegmentMembers, 200)).toEqual({
      added: externalIds.length,
      already: 0,
      unknown: [],
    });
    segments.set(segment.id, { type: "static", members: new Set(externalIds) });
    return segment;
  };
  const preview = async (rule: Rule) =>
    expectBody(
      await gw.call("POST", "/v1/segments/preview", {
        as: program.owner,
        body: { program_id: program.programId, rule },
      }),
      op.previewSegment,
      200,
    );
  const segmentMembers = async (id: string) =>
    expectBody(
      await gw.call("GET", `/v1/segments/${id}/members?limit=100`, { as: program.owner }),
      op.listSegmentMembers,
      200,
    ).data.map((member) => member.external_id);
  const segmentsOf = async (externalId: string) =>
    expectBody(
      await gw.call("GET", `/v1/programs/${program.programId}/members/${externalId}/segments`, {
        as: program.owner,
      }),
      op.listMemberSegments,
      200,
    ).data.map((segment) => segment.id);
  /** The ids of the program's segments that hold `externalId` now, as the evaluator has it. */
  const expectedSegmentsOf = (externalId: string) =>
    [...segments.keys()].filter((id) =>
      holds({ field: "segment", op: "eq", value: id }, seeded(externalId), segments, target.clock.now().getTime()),
    );
  /**
   * Deletes every segment, newest first (so referrers go before what they reference): on D1 a program with 100
   * segments or more answers 500 for a member's segments (a gateway bug, reported with these tests), so each
   * test starts afresh.
   */
  const deleteSegments = async () => {
    for (const id of [...segments.keys()].reverse()) {
      expectBody(await gw.call("DELETE", `/v1/segments/${id}`, { as: program.owner }), op.deleteSegment, 200);
      segments.delete(id);
    }
  };
  return {
    ...program,
    members,
    deleteSegments,
    selected,
    createDynamic,
    createStatic,
    preview,
    segmentMembers,
    segmentsOf,
    expectedSegmentsOf,
  };
}

export type Population = Awaited<ReturnType<typeof seedPopulation>>;

/** What GET the member answers, next to what the seeding says: the facts the rules read, before any rule. */
export async function expectSeeded(population: Population, now: number) {
  for (const member of population.members) {
    const answer = expectBody(await population.member(member.externalId), op.getMember, 200);
    const read = (field: string) => fieldOf(field, member, now);
    expect({
      external_id: answer.external_id,
      tier: answer.tier?.key,
      locale: answer.locale ?? undefined,
      attributes: answer.attributes,
      available: answer.balance.available,
      lifetime_earned: answer.balance.lifetime_earned,
      rfm: answer.rfm ? { r: answer.rfm.r, f: answer.rfm.f, m: answer.rfm.m, segment: answer.rfm.segment } : undefined,
    }).toEqual({
      external_id: member.externalId,
      tier: read("tier"),
      locale: member.locale,
      attributes: member.attributes,
      available: read("balance.available"),
      lifetime_earned: read("lifetime_earned"),
      rfm: member.rfm,
    });
  }
}
