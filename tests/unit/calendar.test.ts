import { describe, expect, it } from "vitest";
import { addDays, daysBetween, eachDate, formatEpochMs, formatInstant, isLocalDate, isoWeek, isValidTimeZone, localDate, startOfLocalDate, zonedTimeToInstant } from "../../lib/time/calendar";

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
