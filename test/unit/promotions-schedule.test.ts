import { describe, expect, it } from "vitest";
import { inSchedule, scheduleHolds, wallTime } from "../../gateway/src/domain/promotions/schedule";

const always = { startsAt: new Date("2020-01-01T00:00:00Z"), endsAt: null };

/** Every minute from `from` (inclusive) to `to` (exclusive) at which the promotion applies. */
function matchingMinutes(schedule: Parameters<typeof inSchedule>[0]["schedule"], from: string, to: string): Date[] {
  const matches: Date[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += 60_000)
    if (inSchedule({ ...always, schedule }, new Date(t), "UTC")) matches.push(new Date(t));
  return matches;
}

describe("promotion schedules in a zone's wall time", () => {
  it("reads the weekday and time as a clock in the zone shows them", () => {
    // 2025-06-01 is a Sunday; 23:30 UTC is already Monday 01:30 in Berlin (UTC+2 in summer).
    expect(wallTime(new Date("2025-06-01T23:30:00Z"), "UTC")).toEqual({ weekday: 7, minutes: 23 * 60 + 30 });
    expect(wallTime(new Date("2025-06-01T23:30:00Z"), "Europe/Berlin")).toEqual({ weekday: 1, minutes: 90 });
    expect(wallTime(new Date("2025-06-02T04:00:00Z"), "America/New_York")).toEqual({ weekday: 1, minutes: 0 });
  });

  it("applies from from_time inclusive to to_time exclusive on the listed days", () => {
    const happyHour = { days_of_week: [5], from_time: "17:00", to_time: "19:00" };
    const friday = (time: string) => ({ weekday: 5, minutes: Number(time.slice(0, 2)) * 60 + Number(time.slice(3)) });
    expect(scheduleHolds(happyHour, friday("16:59"))).toBe(false);
    expect(scheduleHolds(happyHour, friday("17:00"))).toBe(true);
    expect(scheduleHolds(happyHour, friday("18:59"))).toBe(true);
    expect(scheduleHolds(happyHour, friday("19:00"))).toBe(false);
    expect(scheduleHolds(happyHour, { weekday: 4, minutes: 18 * 60 })).toBe(false);
    expect(scheduleHolds({ days_of_week: [6, 7] }, { weekday: 7, minutes: 0 })).toBe(true);
    expect(scheduleHolds({ days_of_week: [6, 7] }, { weekday: 1, minutes: 0 })).toBe(false);
    expect(scheduleHolds({ from_time: "09:00", to_time: "10:00" }, { weekday: 3, minutes: 9 * 60 })).toBe(true);
  });

  it("gives a window across midnight to the day it starts on", () => {
    const fridayNight = { days_of_week: [5], from_time: "22:00", to_time: "02:00" };
    const at = (weekday: number, hour: number, minute = 0) => ({ weekday, minutes: hour * 60 + minute });
    expect(scheduleHolds(fridayNight, at(5, 21, 59))).toBe(false);
    expect(scheduleHolds(fridayNight, at(5, 22))).toBe(true);
    expect(scheduleHolds(fridayNight, at(5, 23, 59))).toBe(true);
    expect(scheduleHolds(fridayNight, at(6, 0))).toBe(true);
    expect(scheduleHolds(fridayNight, at(6, 1, 59))).toBe(true);
    expect(scheduleHolds(fridayNight, at(6, 2))).toBe(false);
    // Friday early morning belongs to Thursday's window, which is not listed; Saturday night is not listed either.
    expect(scheduleHolds(fridayNight, at(5, 1))).toBe(false);
    expect(scheduleHolds(fridayNight, at(6, 23))).toBe(false);
    // Sunday's window runs into Monday.
    expect(scheduleHolds({ days_of_week: [7], from_time: "23:00", to_time: "01:00" }, at(1, 0, 30))).toBe(true);
    // Without days, every night.
    expect(scheduleHolds({ from_time: "22:00", to_time: "02:00" }, at(3, 1))).toBe(true);
    expect(scheduleHolds({ from_time: "22:00", to_time: "02:00" }, at(3, 12))).toBe(false);
  });

  it("finds no 02:00-03:00 on the night New York springs forward, and a normal hour a week before", () => {
    const schedule = { days_of_week: [7], from_time: "02:00", to_time: "03:00", timezone: "America/New_York" };
    // 2025-03-09 (Sunday): 02:00 EST becomes 03:00 EDT.
    expect(matchingMinutes(schedule, "2025-03-09T04:00:00Z", "2025-03-10T04:00:00Z")).toHaveLength(0);
    const before = matchingMinutes(schedule, "2025-03-02T05:00:00Z", "2025-03-03T05:00:00Z");
    expect(before).toHaveLength(60);
    expect(before[0]?.toISOString()).toBe("2025-03-02T07:00:00.000Z");
  });

  it("matches 01:30 twice on the night New York falls back", () => {
    const schedule = { days_of_week: [7], from_time: "01:00", to_time: "02:00", timezone: "America/New_York" };
    // 2025-11-02 (Sunday): 02:00 EDT becomes 01:00 EST, so 01:00-02:00 happens twice.
    const matches = matchingMinutes(schedule, "2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z");
    expect(matches).toHaveLength(120);
    const halfPast = matches.filter((t) => wallTime(t, "America/New_York").minutes === 90).map((t) => t.toISOString());
    expect(halfPast).toEqual(["2025-11-02T05:30:00.000Z", "2025-11-02T06:30:00.000Z"]);
  });

  it("keeps a Europe/Berlin evening window at local 18:00 on both sides of each change", () => {
    const schedule = { from_time: "18:00", to_time: "20:00", timezone: "Europe/Berlin" };
    // Winter (UTC+1): 17:00Z; summer (UTC+2): 16:00Z. Berlin changes on 2025-03-30 and 2025-10-26.
    expect(matchingMinutes(schedule, "2025-03-29T00:00:00Z", "2025-03-30T00:00:00Z")[0]?.toISOString()).toBe(
      "2025-03-29T17:00:00.000Z",
    );
    expect(matchingMinutes(schedule, "2025-03-30T00:00:00Z", "2025-03-31T00:00:00Z")[0]?.toISOString()).toBe(
      "2025-03-30T16:00:00.000Z",
    );
    expect(matchingMinutes(schedule, "2025-10-25T00:00:00Z", "2025-10-26T00:00:00Z")[0]?.toISOString()).toBe(
      "2025-10-25T16:00:00.000Z",
    );
    expect(matchingMinutes(schedule, "2025-10-26T00:00:00Z", "2025-10-27T00:00:00Z")[0]?.toISOString()).toBe(
      "2025-10-26T17:00:00.000Z",
    );
  });

  it("a night window across midnight and a DST change counts the hours the wall clock shows", () => {
    // Saturday 22:00 to Sunday 04:00 in New York over the spring change loses an hour: 5 hours, not 6.
    const schedule = { days_of_week: [6], from_time: "22:00", to_time: "04:00", timezone: "America/New_York" };
    expect(matchingMinutes(schedule, "2025-03-08T12:00:00Z", "2025-03-09T12:00:00Z")).toHaveLength(5 * 60);
    // And over the autumn change gains one: 7 hours.
    expect(matchingMinutes(schedule, "2025-11-01T12:00:00Z", "2025-11-02T12:00:00Z")).toHaveLength(7 * 60);
  });

  it("uses the program's zone when the schedule names none, and the dates as [starts_at, ends_at)", () => {
    const promotion = {
      startsAt: new Date("2025-06-01T00:00:00Z"),
      endsAt: new Date("2025-06-08T00:00:00Z"),
      schedule: { from_time: "09:00", to_time: "10:00" },
    };
    // 09:30 in Tokyo is 00:30 UTC.
    expect(inSchedule(promotion, new Date("2025-06-02T00:30:00Z"), "Asia/Tokyo")).toBe(true);
    expect(inSchedule(promotion, new Date("2025-06-02T00:30:00Z"), "UTC")).toBe(false);
    const open = { ...promotion, schedule: null };
    expect(inSchedule(open, new Date("2025-05-31T23:59:59.999Z"), "UTC")).toBe(false);
    expect(inSchedule(open, new Date("2025-06-01T00:00:00Z"), "UTC")).toBe(true);
    expect(inSchedule(open, new Date("2025-06-07T23:59:59.999Z"), "UTC")).toBe(true);
    expect(inSchedule(open, new Date("2025-06-08T00:00:00Z"), "UTC")).toBe(false);
    expect(inSchedule({ ...open, endsAt: null }, new Date("2099-01-01T00:00:00Z"), "UTC")).toBe(true);
  });
});
