import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, bucketsOf, dayStart, daysIn, localDay } from "../../gateway/src/domain/reports/buckets";

/** Zones with a DST change at midnight (Santiago, Asunción, Havana, Beirut), half-hour (Lord Howe) or odd offsets. */
const zones = [
  "UTC",
  "Europe/Lisbon",
  "America/Sao_Paulo",
  "America/Santiago",
  "America/Asuncion",
  "America/Havana",
  "Asia/Beirut",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "America/St_Johns",
  "Pacific/Kiritimati",
  "America/Adak",
];

const formats = new Map(
  zones.map((zone) => [
    zone,
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }),
  ]),
);
const intlDay = (zone: string, at: number) => formats.get(zone)?.format(at);

describe("local days of a zone", () => {
  it("gives every instant the date Intl gives it, across the years' DST changes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) }),
        (zone, at) => localDay(zone, at) === intlDay(zone, at),
      ),
      { numRuns: 5_000 },
    );
  });

  it("reads instants in time order, as the fold does, right on every side of every local midnight", () => {
    // Every 7 minutes for two years: each local day met is remembered with its instants, and must end where Intl says.
    const wrong: string[] = [];
    for (const zone of ["America/Santiago", "Australia/Lord_Howe", "Europe/Lisbon", "Asia/Kathmandu"])
      for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2028, 0, 1); at += 7 * 60_000)
        if (localDay(zone, at) !== intlDay(zone, at)) wrong.push(`${zone} ${new Date(at).toISOString()}`);
    expect(wrong).toEqual([]);
  });

  it("starts each day at its first instant: midnight, or the change where DST skips midnight", () => {
    // Santiago sprang forward from Saturday 2026-09-05 24:00 to Sunday 01:00 (-04 to -03): Sunday began at 04:00Z.
    expect(new Date(dayStart("America/Santiago", "2026-09-06")).toISOString()).toBe("2026-09-06T04:00:00.000Z");
    // Lisbon fell back at 02:00 WEST on 2026-10-25, after its midnight (01:00 WEST = 23:00Z the day before).
    expect(new Date(dayStart("Europe/Lisbon", "2026-10-25")).toISOString()).toBe("2026-10-24T23:00:00.000Z");
    expect(new Date(dayStart("Europe/Lisbon", "2026-10-26")).toISOString()).toBe("2026-10-26T00:00:00.000Z");
    // Every day of two years in every zone: the first instant Intl says is that day.
    const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const wrong: string[] = [];
    for (const zone of zones)
      for (let day = "2026-01-01"; day < "2028-01-01"; day = next(day)) {
        const start = dayStart(zone, day);
        if (intlDay(zone, start) !== day || (intlDay(zone, start - 1) ?? day) >= day) wrong.push(`${zone} ${day}`);
      }
    expect(wrong).toEqual([]);
  });
});

describe("buckets of a range", () => {
  it("starts ISO weeks on Monday, across a new year, and months on the 1st", () => {
    expect(bucketOf("2027-01-01", "week")).toBe("2026-12-28");
    expect(bucketOf("2026-12-28", "week")).toBe("2026-12-28");
    expect(bucketOf("2027-01-03", "week")).toBe("2026-12-28");
    expect(bucketOf("2027-01-04", "week")).toBe("2027-01-04");
    expect(bucketOf("2028-02-29", "month")).toBe("2028-02-01");
    expect(bucketOf("2028-02-29", "day")).toBe("2028-02-29");
  });

  it("clips the first and last bucket to the range, and covers every day once", () => {
    expect(bucketsOf("2026-12-30", "2027-01-12", "week")).toEqual([
      { bucket: "2026-12-28", start: "2026-12-30", end: "2027-01-03", whole: false },
      { bucket: "2027-01-04", start: "2027-01-04", end: "2027-01-10", whole: true },
      { bucket: "2027-01-11", start: "2027-01-11", end: "2027-01-12", whole: false },
    ]);
    expect(bucketsOf("2028-01-31", "2028-03-31", "month")).toEqual([
      { bucket: "2028-01-01", start: "2028-01-31", end: "2028-01-31", whole: false },
      { bucket: "2028-02-01", start: "2028-02-01", end: "2028-02-29", whole: true },
      { bucket: "2028-03-01", start: "2028-03-01", end: "2028-03-31", whole: true },
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 800 }),
        fc.constantFrom("day" as const, "week" as const, "month" as const),
        (offset, length, interval) => {
          const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
          const from = day(offset);
          const to = day(offset + length);
          const buckets = bucketsOf(from, to, interval);
          expect(buckets[0]?.start).toBe(from);
          expect(buckets.at(-1)?.end).toBe(to);
          expect(buckets.reduce((sum, b) => sum + daysIn(b.start, b.end), 0)).toBe(length + 1);
          for (const b of buckets) {
            expect(bucketOf(b.start, interval)).toBe(b.bucket);
            expect(bucketOf(b.end, interval)).toBe(b.bucket);
          }
        },
      ),
    );
  });
});
