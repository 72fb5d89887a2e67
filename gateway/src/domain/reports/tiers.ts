import {
  countEnrolmentsPerTier,
  countMembersPerTierAt,
  countMembersPerTierNow,
  countTierMovements,
  type TierCount,
  type TierMovement,
} from "../../db/queries/report-tiers";
import { findTierTable } from "../../db/queries/tiers";
import type { Deps } from "../../deps";
import type { Caller } from "../programs";
import { managedReportRange, type ProgramReportHead } from "./program-range";

/**
 * A tier's members now, at the range's start and end, and how they came and went in it: members_at_end =
 * members_at_start + enrolled + moved_in - moved_out. `key` null is members without a tier (enrolled while the
 * program had no tier table); a key with `position` null is no longer in the table.
 */
export type TierRow = {
  key: string | null;
  name: string | null;
  position: number | null;
  members: number;
  members_at_start: number;
  enrolled: number;
  moved_in: number;
  moved_out: number;
  members_at_end: number;
};

/** Which way a tier change went, by the tiers' places in the table now. */
export type TierDirection = "upgrade" | "downgrade" | "placement" | "other";

/** The tier changes of the range from one tier to another for one reason. */
export type TierMovementRow = {
  from_key: string | null;
  to_key: string;
  reason: TierMovement["reason"];
  direction: TierDirection;
  changes: number;
  members: number;
};

export type TiersReport = ProgramReportHead & {
  totals: { members: number; upgrades: number; downgrades: number; placements: number };
  tiers: TierRow[];
  movements: TierMovementRow[];
};

/** The tables of the report, each downloadable as CSV with these columns (the JSON names, in order). */
export const tiersTables = {
  tiers: [
    "key",
    "name",
    "position",
    "members",
    "members_at_start",
    "enrolled",
    "moved_in",
    "moved_out",
    "members_at_end",
  ],
  movements: ["from_key", "to_key", "reason", "direction", "changes", "members"],
} as const satisfies { tiers: readonly (keyof TierRow)[]; movements: readonly (keyof TierMovementRow)[] };

/**
 * A change's direction: `placement` from no tier (a new member placed, or a new tier table), `upgrade` or
 * `downgrade` by the tiers' positions, `other` when either tier is no longer in the table.
 */
function directionOf(from: string | null, to: string, positions: Map<string, number>): TierDirection {
  if (from === null) return "placement";
  const a = positions.get(from);
  const b = positions.get(to);
  if (a === undefined || b === undefined) return "other";
  return b > a ? "upgrade" : "downgrade";
}

const byKey = (counts: readonly TierCount[]) => new Map(counts.map((count) => [count.tierKey, count.members]));

/**
 * The tiers report of a program over local dates `from`..`to` of its zone (default: the last 30 days), for its owner
 * and the operator: members per tier now, at the range's start and at its end (folded from the tier history: a
 * member's tier just before an instant is the tier its first change at or after it left, else its tier now), the
 * members enrolled into each, and every change of the range by tiers, reason and direction. Tiers in the table's
 * order, lowest first.
 */
export async function tiersReport(
  deps: Pick<Deps, "db" | "reader" | "clock">,
  caller: Caller,
  programId: string,
  query: { from?: string; to?: string },
): Promise<TiersReport> {
  const { program, range, head } = await managedReportRange(deps, caller, programId, query);
  const [table, now, start, end, enrolled, movements] = await Promise.all([
    findTierTable(deps.reader, program.id),
    countMembersPerTierNow(deps.reader, program.id),
    countMembersPerTierAt(deps.reader, program.id, range.since),
    countMembersPerTierAt(deps.reader, program.id, range.until),
    countEnrolmentsPerTier(deps.reader, program.id, range),
    countTierMovements(deps.reader, program.id, range),
  ]);
  const tiers = table?.tiers ?? [];
  const positions = new Map(tiers.map((tier) => [tier.key, tier.position]));
  // Movements from no tier first, then by the tiers' places; tiers no longer in the table after those that are.
  const rank = (key: string | null) => (key === null ? -1 : (positions.get(key) ?? tiers.length));
  const figures = { now: byKey(now), start: byKey(start), end: byKey(end), enrolled: byKey(enrolled) };
  const moved = (key: string | null, side: "fromKey" | "toKey") =>
    movements.filter((m) => m[side] === key).reduce((sum, m) => sum + m.changes, 0);
  const rowOf = (key: string | null, name: string | null, position: number | null): TierRow => ({
    key,
    name,
    position,
    members: figures.now.get(key) ?? 0,
    members_at_start: figures.start.get(key) ?? 0,
    enrolled: figures.enrolled.get(key) ?? 0,
    moved_in: moved(key, "toKey"),
    moved_out: moved(key, "fromKey"),
    members_at_end: figures.end.get(key) ?? 0,
  });
  // Tiers of an earlier table, and members without a tier, only when they have a figure.
  const others = new Set<string | null>([
    ...Object.values(figures).flatMap((counts) => [...counts.keys()]),
    ...movements.flatMap((m) => [m.fromKey, m.toKey]),
  ]);
  for (const tier of tiers) others.delete(tier.key);
  const rest = [...others].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  const rows = [
    ...tiers.map((tier) => rowOf(tier.key, tier.name, tier.position)),
    ...rest.map((key) => rowOf(key, null, null)),
  ];
  const movementRows = movements
    .map((m) => ({
      from_key: m.fromKey,
      to_key: m.toKey,
      reason: m.reason,
      direction: directionOf(m.fromKey, m.toKey, positions),
      changes: m.changes,
      members: m.members,
    }))
    .sort(
      (a, b) =>
        rank(a.from_key) - rank(b.from_key) ||
        rank(a.to_key) - rank(b.to_key) ||
        (a.from_key ?? "").localeCompare(b.from_key ?? "") ||
        a.to_key.localeCompare(b.to_key) ||
        a.reason.localeCompare(b.reason),
    );
  const count = (direction: TierDirection) =>
    movementRows.filter((m) => m.direction === direction).reduce((sum, m) => sum + m.changes, 0);
  return {
    ...head,
    totals: {
      members: now.reduce((sum, c) => sum + c.members, 0),
      upgrades: count("upgrade"),
      downgrades: count("downgrade"),
      placements: count("placement"),
    },
    tiers: rows,
    movements: movementRows,
  };
}
