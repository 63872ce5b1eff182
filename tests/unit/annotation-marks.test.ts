import { describe, expect, it } from "vitest";
import { periodsCover } from "../../lib/metrics/compute/kpi";
import { annotationByline, annotationTitle, placeMarks, placeSpans, timeMarks, windowSpan, type MarkSource } from "../../components/charts/annotation-marks";
import { addDays, isoWeek } from "../../lib/time/calendar";

const note = (id: number, starts_on: string, ends_on: string | null = null, extra: Partial<MarkSource> = {}): MarkSource => ({
  id,
  starts_on,
  ends_on,
  label: `note ${id}`,
  note: null,
  author: "Ada",
  created_at: "2026-03-12T10:05:00Z",
  updated_at: "2026-03-12T10:05:00Z",
  ...extra,
});

describe("annotation marks", () => {
  const days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"];

  it("places a day on its period and cuts a range to the periods shown", () => {
    const marks = placeMarks([note(1, "2026-03-03"), note(2, "2026-02-20", "2026-03-02"), note(3, "2026-03-04", "2026-03-20"), note(4, "2026-02-01", "2026-04-01")], days);
    expect(marks.map((m) => [m.id, m.first, m.last])).toEqual([
      [1, 2, 2],
      [2, 0, 1],
      [3, 3, 4],
      [4, 0, 4],
    ]);
  });

  it("leaves out what is wholly outside the periods, or falls in a gap between them", () => {
    expect(placeMarks([note(1, "2026-02-28"), note(2, "2026-03-06", "2026-03-09")], days)).toEqual([]);
    expect(placeMarks([note(1, "2026-03-03")], ["2026-03-01", "2026-03-05"])).toEqual([]);
    expect(placeMarks([note(1, "2026-03-03")], [])).toEqual([]);
  });

  it("maps dates to weeks (or any period) first", () => {
    const weeks = ["2026-W09", "2026-W10", "2026-W11"];
    // 2026-03-04 is in W10; 2026-03-08 (a Sunday) still W10; 2026-03-09 W11.
    const marks = placeMarks([note(1, "2026-03-04", "2026-03-08"), note(2, "2026-03-08", "2026-03-09")], weeks, isoWeek);
    expect(marks.map((m) => [m.id, m.first, m.last])).toEqual([
      [1, 1, 1],
      [2, 1, 2],
    ]);
    expect(placeSpans([{ id: 1, label: "m", title: "m", start: "2026-02", end: "2026-03" }], ["2026-01", "2026-02", "2026-03"])).toMatchObject([{ first: 1, last: 2 }]);
  });

  it("says what, when, who and when written on hover", () => {
    expect(annotationTitle(note(1, "2026-03-03", "2026-03-05", { label: "team split", note: "two teams" }))).toBe(
      "team split (2026-03-03 to 2026-03-05): two teams — by Ada, 2026-03-12 10:05 UTC",
    );
    expect(annotationByline({ author: null, created_at: "2026-03-12T10:05:00Z", updated_at: "2026-03-13T08:00:00Z" })).toBe(
      "by a removed account, 2026-03-12 10:05 UTC (edited 2026-03-13 08:00 UTC)",
    );
  });

  it("puts a day at its middle and a range from its first day's start to its last day's end, in the team's timezone", () => {
    const window = { from: "2026-03-01", to: "2026-03-31" };
    const [day, range, cut] = timeMarks([note(1, "2026-03-10"), note(2, "2026-03-10", "2026-03-11"), note(3, "2026-02-01", "2026-03-01")], window, "Asia/Tokyo");
    expect(new Date(day!.x1).toISOString()).toBe("2026-03-10T03:00:00.000Z");
    expect(day!.x2).toBeNull();
    expect([new Date(range!.x1).toISOString(), new Date(range!.x2!).toISOString()]).toEqual(["2026-03-09T15:00:00.000Z", "2026-03-11T15:00:00.000Z"]);
    expect([new Date(cut!.x1).toISOString(), new Date(cut!.x2!).toISOString()]).toEqual(["2026-02-28T15:00:00.000Z", "2026-03-01T15:00:00.000Z"]);
    expect(timeMarks([note(4, "2026-04-01")], window, "UTC")).toEqual([]);
    expect(windowSpan(window, "UTC").map((ms) => new Date(ms).toISOString())).toEqual(["2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"]);
  });

  it("covers periods with dates, a little more at the ends", () => {
    expect(periodsCover(["2026-03-05", "2026-03-01"])).toEqual({ from: "2026-03-01", to: "2026-03-05" });
    expect(periodsCover(["2026-02", "2026-04"])).toEqual({ from: "2026-02-01", to: "2026-05-02" });
    // Every day of a week lies inside its cover, whichever year's week it is.
    for (let d = "2019-12-20"; d <= "2031-01-10"; d = addDays(d, 1)) {
      const cover = periodsCover([isoWeek(d)])!;
      expect(cover.from <= d && d <= cover.to, d).toBe(true);
    }
    expect(periodsCover([])).toBeNull();
  });
});
