import { describe, expect, it } from "vitest";
import { formatLocalDateTime, formatRunDuration, formatUtcSecond, timeAgo } from "../../lib/time/format";

const fmt = (iso: string, zone: string) => formatLocalDateTime(new Date(iso), zone);

describe("formatLocalDateTime", () => {
  it("writes weekday, day, month, year and 24-hour time in UTC", () => {
    expect(fmt("2026-03-03T10:14:00Z", "UTC")).toBe("Tue 3 Mar 2026 10:14");
    expect(fmt("2026-12-31T23:59:59Z", "UTC")).toBe("Thu 31 Dec 2026 23:59");
  });

  it("writes midnight as 00:00 and September as Sep", () => {
    expect(fmt("2026-09-07T00:05:00Z", "UTC")).toBe("Mon 7 Sep 2026 00:05");
  });

  it("uses the zone's wall clock, on both sides of a DST change", () => {
    expect(fmt("2026-03-03T09:14:00Z", "Europe/Berlin")).toBe("Tue 3 Mar 2026 10:14");
    // Berlin moves from CET to CEST at 01:00 UTC on Sun 29 Mar 2026: 02:00 local becomes 03:00.
    expect(fmt("2026-03-29T00:30:00Z", "Europe/Berlin")).toBe("Sun 29 Mar 2026 01:30");
    expect(fmt("2026-03-29T01:30:00Z", "Europe/Berlin")).toBe("Sun 29 Mar 2026 03:30");
    expect(fmt("2026-07-14T08:05:00Z", "Europe/Berlin")).toBe("Tue 14 Jul 2026 10:05");
  });

  it("moves to the zone's date when the local day differs from UTC's", () => {
    expect(fmt("2026-01-31T23:30:00Z", "Europe/Berlin")).toBe("Sun 1 Feb 2026 00:30");
  });
});

describe("how long ago", () => {
  const now = new Date("2026-05-04T12:00:00Z");
  it("says it in the largest whole unit", () => {
    expect(timeAgo(new Date("2026-05-04T11:59:30Z"), now)).toBe("just now");
    expect(timeAgo(new Date("2026-05-04T11:48:00Z"), now)).toBe("12 minutes ago");
    expect(timeAgo(new Date("2026-05-04T11:59:00Z"), now)).toBe("1 minute ago");
    expect(timeAgo(new Date("2026-05-04T09:00:00Z"), now)).toBe("3 hours ago");
    expect(timeAgo(new Date("2026-05-02T11:00:00Z"), now)).toBe("2 days ago");
    expect(timeAgo(new Date("2026-05-05T11:00:00Z"), now)).toBe("just now");
  });
});

describe("admin tables' instants and durations", () => {
  it("shows an instant in UTC to the second, and a dash for none", () => {
    expect(formatUtcSecond(new Date("2026-03-03T10:14:05.678Z"))).toBe("2026-03-03 10:14:05Z");
    expect(formatUtcSecond(null)).toBe("–");
  });
  it("shows a run's duration to a tenth of a second, and a dash while it runs", () => {
    expect(formatRunDuration(new Date("2026-03-03T10:00:00Z"), new Date("2026-03-03T10:00:04.25Z"))).toBe("4.3 s");
    expect(formatRunDuration(new Date("2026-03-03T10:00:00Z"), null)).toBe("–");
  });
});
