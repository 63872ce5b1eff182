import { describe, expect, it } from "vitest";
import { seededRandom } from "../../lib/metrics/compute/random";
import { addDays, daysBetween, eachDate, formatEpochMs, formatInstant, isLocalDate, isoWeek, isValidTimeZone, localDate, localDateLookup, startOfLocalDate, zonedTimeToInstant } from "../../lib/time/calendar";

describe("calendar", () => {
  it("finds the local date of an instant in the team's zone", () => {
    expect(localDate(new Date("2026-03-01T23:30:00Z"), "Europe/Berlin")).toBe("2026-03-02");
    expect(localDate(new Date("2026-03-01T23:30:00Z"), "UTC")).toBe("2026-03-01");
    expect(localDate(new Date("2026-03-02T03:00:00Z"), "America/New_York")).toBe("2026-03-01");
  });

  it("knows DST days are 23 and 25 hours long", () => {
    const springStart = startOfLocalDate("2026-03-29", "Europe/Berlin");
    const springEnd = startOfLocalDate("2026-03-30", "Europe/Berlin");
    expect((springEnd.getTime() - springStart.getTime()) / 3_600_000).toBe(23);
    const autumnStart = startOfLocalDate("2026-10-25", "Europe/Berlin");
    const autumnEnd = startOfLocalDate("2026-10-26", "Europe/Berlin");
    expect((autumnEnd.getTime() - autumnStart.getTime()) / 3_600_000).toBe(25);
  });

  it("turns wall-clock times into instants, resolving gaps forward and overlaps to the first", () => {
    expect(zonedTimeToInstant("2026-07-01", { hour: 9, minute: 30, second: 0 }, "Europe/Berlin").toISOString()).toBe("2026-07-01T07:30:00.000Z");
    // 02:30 does not exist on 2026-03-29 in Berlin; PostgreSQL reads it as 03:30 CEST.
    expect(zonedTimeToInstant("2026-03-29", { hour: 2, minute: 30, second: 0 }, "Europe/Berlin").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(zonedTimeToInstant("2026-10-25", { hour: 2, minute: 30, second: 0 }, "Europe/Berlin").toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("labels ISO weeks with Monday starts and week-years", () => {
    expect(isoWeek("2026-01-01")).toBe("2026-W01");
    expect(isoWeek("2025-12-29")).toBe("2026-W01");
    expect(isoWeek("2027-01-03")).toBe("2026-W53");
    expect(isoWeek("2026-03-01")).toBe("2026-W09");
    expect(isoWeek("2026-03-02")).toBe("2026-W10");
  });

  it("does date arithmetic on calendar dates", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2026-03-01", -90)).toBe("2025-12-01");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(eachDate("2026-03-30", "2026-04-02")).toEqual(["2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02"]);
  });

  it("validates dates and zones", () => {
    expect(isLocalDate("2026-02-29")).toBe(false);
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2026-2-1")).toBe(false);
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("writes instants in UTC without a needless fraction", () => {
    expect(formatInstant(new Date("2026-01-07T10:30:00+01:00"))).toBe("2026-01-07T09:30:00Z");
    expect(formatInstant(new Date("2026-01-07T10:30:00.250Z"))).toBe("2026-01-07T10:30:00.250Z");
  });

  it("writes epoch milliseconds exactly as formatInstant writes their instant", () => {
    const edges = [0, -1, 1, 999, 1000, 86_399_999, 86_400_000, -86_400_000, Date.parse("2026-03-29T01:00:00Z"), Date.parse("0000-01-01T00:00:00Z"),
      Date.parse("0000-01-01T00:00:00Z") - 1, Date.parse("9999-12-31T23:59:59.999Z"), Date.parse("9999-12-31T23:59:59.999Z") + 1, 8.64e15, -8.64e15];
    // A fixed-seed generator: the same cases every run, spread over five centuries.
    let seed = 7;
    const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
    const spread = Array.from({ length: 5000 }, () => Math.floor((random() - 0.5) * 2 * 1.6e13));
    const wholeSeconds = spread.map((ms) => ms - (((ms % 1000) + 1000) % 1000));
    for (const ms of [...edges, ...spread, ...wholeSeconds]) expect(formatEpochMs(ms), String(ms)).toBe(formatInstant(new Date(ms)));
    // A fraction of a millisecond is not an instant a Date holds: written as the Date would.
    expect(formatEpochMs(1.5)).toBe(formatInstant(new Date(1.5)));
  });
});

describe("localDateLookup", () => {
  // Zones with DST at midnight (Santiago), half-hour DST (Lord Howe), quarter-hour offsets
  // (Chatham, Kathmandu), a date-line jump (Apia skipped 2011-12-30), and old local mean time
  // offsets in seconds (Amsterdam before 1937, Kolkata before 1942).
  const zones = ["UTC", "Europe/Berlin", "America/Santiago", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "Pacific/Apia", "Europe/Amsterdam", "Asia/Kolkata", "America/St_Johns"];

  it("gives localDate's date for instants spread over a century and packed around every offset change", () => {
    const random = seededRandom(7);
    for (const zone of zones) {
      const lookup = localDateLookup(zone);
      const instants: number[] = [];
      for (let i = 0; i < 3000; i++) instants.push(Date.UTC(1900, 0, 1) + Math.floor(random() * (Date.UTC(2040, 0, 1) - Date.UTC(1900, 0, 1))));
      // Every minute of some days with changes, and the seconds either side of each change.
      for (const day of [Date.UTC(1937, 6, 1), Date.UTC(2011, 11, 29), Date.UTC(2024, 3, 6), Date.UTC(2024, 8, 7), Date.UTC(2024, 9, 5), Date.UTC(2024, 2, 31), Date.UTC(2024, 10, 3)]) {
        for (let m = -24 * 60; m < 48 * 60; m++) instants.push(day + m * 60_000, day + m * 60_000 - 1);
      }
      const wrong = instants.filter((ms) => lookup(ms) !== localDate(new Date(ms), zone));
      expect(wrong.map((ms) => `${zone} ${new Date(ms).toISOString()}`)).toEqual([]);
    }
  });
});

