import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Folded, FoldRow } from "../../gateway/src/db/queries/report-rollups";
import { addFigures, foldTransactions, noFigures } from "../../gateway/src/domain/reports/fold";

const zones: Record<string, string> = { prg_a: "UTC", prg_b: "America/Santiago", prg_c: "Asia/Kathmandu" };
const zoneOf = (programId: string) => zones[programId] ?? "UTC";

const row = (fields: Partial<FoldRow>): FoldRow => ({
  programId: "prg_a",
  memberId: "mem_1",
  type: "earn",
  points: 100,
  createdAt: Date.parse("2026-03-01T12:00:00Z"),
  originalType: null,
  redemption: false,
  debit: false,
  ...fields,
});

/** Folds summed as the roll-up job adds them up: figures per (program, day), active keys each once. */
function merged(folds: Folded[]) {
  const days = new Map<string, ReturnType<typeof noFigures>>();
  const active = new Set<string>();
  for (const fold of folds) {
    for (const day of fold.days) {
      const key = `${day.programId} ${day.day}`;
      const figures = days.get(key) ?? noFigures();
      addFigures(figures, day.figures);
      days.set(key, figures);
    }
    for (const key of fold.active) active.add(`${key.programId} ${key.grain} ${key.bucket} ${key.memberId}`);
  }
  return { days: Object.fromEntries([...days].sort()), active: [...active].sort() };
}

describe("the reports' fold", () => {
  it("classifies each movement once, reversals against what they reverse, in the day they were made", () => {
    const { days, active } = foldTransactions(
      [
        row({ type: "earn", points: 500 }),
        row({ type: "bonus", points: 50, memberId: "mem_2" }),
        row({ type: "burn", points: 120 }),
        row({ type: "burn", points: 300, redemption: true }),
        row({ type: "hold", points: 900, memberId: "mem_3" }),
        row({ type: "release", points: 900, memberId: "mem_3" }),
        row({ type: "transfer_out", points: 200, memberId: "mem_4" }),
        row({ type: "transfer_in", points: 190, memberId: "mem_5" }),
        row({ type: "conversion_out", points: 400 }),
        row({ type: "conversion_in", points: 60, memberId: "mem_6" }),
        row({ type: "expiry", points: 30, memberId: "mem_7" }),
        row({ type: "adjustment", points: 25, memberId: "mem_8", debit: true }),
        row({ type: "adjustment", points: 10, memberId: "mem_8" }),
        // The next day: reversals of an earn, a bonus, a burn and an order's burn (cancelled).
        ...(
          [
            ["earn", false, 100],
            ["bonus", false, 10],
            ["burn", false, 20],
            ["burn", true, 300],
          ] as const
        ).map(([originalType, redemption, points]) =>
          row({
            type: "reversal",
            originalType,
            redemption,
            points,
            memberId: "mem_9",
            createdAt: Date.parse("2026-03-02T00:00:00Z"),
          }),
        ),
      ],
      zoneOf,
    );
    expect(days).toEqual([
      {
        programId: "prg_a",
        day: "2026-03-01",
        figures: {
          points_earned: 500,
          bonus_points: 50,
          points_burned: 120,
          points_redeemed: 300,
          points_converted_in: 60,
          points_converted_out: 400,
          points_transferred: 200,
          points_expired: 30,
          points_adjusted: -15,
          // +500 +50 -120 -300 -200 +190 -400 +60 -30 -25 +10
          outstanding_change: -265,
          transactions: 13,
        },
      },
      {
        programId: "prg_a",
        day: "2026-03-02",
        figures: {
          ...noFigures(),
          points_earned: -100,
          bonus_points: -10,
          points_burned: -20,
          points_redeemed: -300,
          outstanding_change: -110 + 320,
          transactions: 4,
        },
      },
    ]);
    // Their own earns, burns, conversions and transfers, sent or received; not bonuses, holds, expiries,
    // adjustments or reversals. 2026-03-01 is a Sunday: its ISO week began on 2026-02-23.
    const members = (grain: string) =>
      active.filter((key) => key.grain === grain).map((key) => [key.bucket, key.memberId]);
    expect(members("day")).toEqual([
      ["2026-03-01", "mem_1"],
      ["2026-03-01", "mem_4"],
      ["2026-03-01", "mem_5"],
      ["2026-03-01", "mem_6"],
    ]);
    expect(members("week")).toEqual(members("day").map(([, member]) => ["2026-02-23", member]));
    expect(members("month")).toEqual(members("day").map(([, member]) => ["2026-03-01", member]));
  });

  it("refuses a reversal of what cannot be reversed, rather than count it wrong", () => {
    expect(() => foldTransactions([row({ type: "reversal", originalType: "expiry" })], zoneOf)).toThrow(/expiry/);
  });

  it("adds up to the same roll-ups however the journal is cut into batches", () => {
    const types = [
      "earn",
      "burn",
      "bonus",
      "expiry",
      "hold",
      "release",
      "adjustment",
      "transfer_out",
      "transfer_in",
      "conversion_out",
      "conversion_in",
    ] as const;
    const rows = fc.array(
      fc.record({
        programId: fc.constantFrom(...Object.keys(zones)),
        memberId: fc.constantFrom("mem_1", "mem_2", "mem_3", "mem_4"),
        points: fc.integer({ min: 1, max: 10_000 }),
        createdAt: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 6, 1) }),
        redemption: fc.boolean(),
        debit: fc.boolean(),
        kind: fc.oneof(
          fc.constantFrom(...types).map((type) => ({ type, originalType: null })),
          fc
            .constantFrom("earn" as const, "bonus" as const, "burn" as const)
            .map((originalType) => ({ type: "reversal" as const, originalType })),
        ),
      }),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(rows, fc.array(fc.nat(300), { maxLength: 6 }), (generated, cuts) => {
        const journal: FoldRow[] = generated.map(({ kind, ...fields }) => ({ ...fields, ...kind }));
        const bounds = [0, ...cuts.map((cut) => cut % (journal.length + 1)).sort((a, b) => a - b), journal.length];
        const batches = bounds.slice(1).map((end, i) => journal.slice(bounds[i], end));
        expect(merged(batches.map((batch) => foldTransactions(batch, zoneOf)))).toEqual(
          merged([foldTransactions(journal, zoneOf)]),
        );
      }),
    );
  });
});
