import { describe, expect, it } from "vitest";
import { offsetChanges } from "../../gateway/src/domain/reports/adhoc/offsets";

const at = (iso: string) => Date.parse(iso);
const minutes = (changes: { from: number; offset: number }[]) =>
  changes.map((change) => [new Date(change.from).toISOString(), change.offset / 60_000]);

/**
 * The offsets an ad-hoc run buckets local days by (the tz database through Intl): each change at the exact minute
 * it happens, in zones whose changes fall on half hours or move the clock by half an hour.
 */
describe("offsetChanges", () => {
  it("holds one offset where nothing changes", () => {
    expect(minutes(offsetChanges("UTC", at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")))).toEqual([
      ["2026-01-01T00:00:00.000Z", 0],
    ]);
    expect(minutes(offsetChanges("Asia/Kolkata", at("2025-12-31T18:30:00Z"), at("2026-12-31T18:30:00Z")))).toEqual([
      ["2025-12-31T18:30:00.000Z", 330],
    ]);
  });

  it("finds New York's changes of 2026 at 07:00 and 06:00 UTC (02:00 local)", () => {
    expect(minutes(offsetChanges("America/New_York", at("2026-01-01T05:00:00Z"), at("2027-01-01T05:00:00Z")))).toEqual([
      ["2026-01-01T05:00:00.000Z", -300],
      ["2026-03-08T07:00:00.000Z", -240],
      ["2026-11-01T06:00:00.000Z", -300],
    ]);
  });

  it("finds Adelaide's changes on the half hour of UTC, and Lord Howe's half-hour change", () => {
    expect(
      minutes(offsetChanges("Australia/Adelaide", at("2025-12-31T13:30:00Z"), at("2026-12-31T13:30:00Z"))),
    ).toEqual([
      ["2025-12-31T13:30:00.000Z", 630],
      ["2026-04-04T16:30:00.000Z", 570],
      ["2026-10-03T16:30:00.000Z", 630],
    ]);
    expect(
      minutes(offsetChanges("Australia/Lord_Howe", at("2025-12-31T13:00:00Z"), at("2026-12-31T13:00:00Z"))),
    ).toEqual([
      ["2025-12-31T13:00:00.000Z", 660],
      ["2026-04-04T15:00:00.000Z", 630],
      ["2026-10-03T15:30:00.000Z", 660],
    ]);
  });

  it("leaves out a change at or after the range's end", () => {
    // New York's autumn change is at 2026-11-01T06:00Z: a range ending then does not hold it.
    expect(minutes(offsetChanges("America/New_York", at("2026-10-31T04:00:00Z"), at("2026-11-01T06:00:00Z")))).toEqual([
      ["2026-10-31T04:00:00.000Z", -240],
    ]);
    expect(minutes(offsetChanges("America/New_York", at("2026-10-31T04:00:00Z"), at("2026-11-01T06:01:00Z")))).toEqual([
      ["2026-10-31T04:00:00.000Z", -240],
      ["2026-11-01T06:00:00.000Z", -300],
    ]);
  });
});
