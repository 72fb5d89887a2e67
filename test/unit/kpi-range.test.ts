import { describe, expect, it } from "vitest";
import { changeOf, presetRange, previousRange, rangeBounds, resolveRange } from "../../gateway/src/domain/kpis";

const now = new Date("2026-03-10T15:30:00Z");

describe("the dashboard's date range", () => {
  it("ends a preset today, today included, and starts it days - 1 before", () => {
    expect(presetRange(7, now)).toEqual({ start: "2026-03-04", end: "2026-03-10", days: 7 });
    expect(presetRange(30, now)).toEqual({ start: "2026-02-09", end: "2026-03-10", days: 30 });
    expect(presetRange(90, now)).toEqual({ start: "2025-12-11", end: "2026-03-10", days: 90 });
  });

  it("compares with the range of the same length just before, across months and leap days", () => {
    expect(previousRange({ start: "2026-03-04", end: "2026-03-10", days: 7 })).toEqual({
      start: "2026-02-25",
      end: "2026-03-03",
      days: 7,
    });
    expect(previousRange({ start: "2024-03-01", end: "2024-03-31", days: 31 })).toEqual({
      start: "2024-01-30",
      end: "2024-02-29",
      days: 31,
    });
    expect(previousRange({ start: "2026-01-01", end: "2026-01-01", days: 1 })).toEqual({
      start: "2025-12-31",
      end: "2025-12-31",
      days: 1,
    });
  });

  it("covers whole UTC days: from the first midnight to the midnight after the last day", () => {
    expect(rangeBounds({ start: "2026-03-04", end: "2026-03-10", days: 7 })).toEqual({
      since: new Date("2026-03-04T00:00:00Z"),
      until: new Date("2026-03-11T00:00:00Z"),
    });
  });

  it("reads presets and custom ranges from the query, the last 30 days otherwise", () => {
    expect(resolveRange({}, now)).toMatchObject({ range: { days: 30, end: "2026-03-10" }, preset: 30, problems: [] });
    expect(resolveRange({ days: "7" }, now)).toMatchObject({ range: { days: 7 }, preset: 7, problems: [] });
    expect(resolveRange({ days: "13" }, now)).toMatchObject({ range: { days: 30 }, preset: 30, problems: [] });
    expect(resolveRange({ start: "2026-02-01", end: "2026-02-28" }, now)).toEqual({
      range: { start: "2026-02-01", end: "2026-02-28", days: 28 },
      preset: null,
      problems: [],
    });
    expect(resolveRange({ start: "2026-03-10", end: "2026-03-10" }, now).range.days).toBe(1);
  });

  it.each([
    [{ start: "2026-02-01" }, [{ field: "end", problem: "missing" }]],
    [{ end: "2026-02-01" }, [{ field: "start", problem: "missing" }]],
    [{ start: "2026-02-30", end: "2026-03-01" }, [{ field: "start", problem: "invalid" }]],
    [
      { start: "01/02/2026", end: "yesterday" },
      [
        { field: "start", problem: "invalid" },
        { field: "end", problem: "invalid" },
      ],
    ],
    [{ start: "2026-03-05", end: "2026-03-01" }, [{ field: "start", problem: "afterEnd" }]],
    [{ start: "2026-03-01", end: "2026-03-11" }, [{ field: "end", problem: "future" }]],
    [{ start: "2025-01-01", end: "2026-03-01" }, [{ field: "start", problem: "tooLong" }]],
  ])("refuses %j, naming the field at fault, and falls back to the last 30 days", (query, problems) => {
    expect(resolveRange(query, now)).toEqual({ range: presetRange(30, now), preset: 30, problems });
  });

  it("says how a figure changed: up or down by a ratio, the same, or new", () => {
    expect(changeOf(112, 100)).toEqual({ direction: "up", ratio: 0.12 });
    expect(changeOf(97, 100)).toEqual({ direction: "down", ratio: 0.03 });
    expect(changeOf(5, 5)).toEqual({ direction: "same" });
    expect(changeOf(0, 0)).toEqual({ direction: "same" });
    expect(changeOf(10, 0)).toEqual({ direction: "new" });
    expect(changeOf(0, 10)).toEqual({ direction: "down", ratio: 1 });
  });
});
