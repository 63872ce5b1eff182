import { describe, expect, it } from "vitest";
import { metricRequest, parseView, viewToSearch } from "../../lib/views/dashboard-view";

describe("dashboard view in the URL", () => {
  it("defaults to the last 90 days by week", () => {
    expect(parseView(new URLSearchParams(""))).toEqual({ range: 90, interval: "week", cfd: "since" });
    expect(viewToSearch(parseView(new URLSearchParams("")))).toBe("");
  });

  it("round-trips every filter", () => {
    for (const q of ["?range=30", "?from=2026-01-01&to=2026-03-31&type=bug", "?range=365&as_of=2026-06-30T12%3A00%3A00Z&interval=day", "?range=30&cfd=total"]) {
      expect(viewToSearch(parseView(new URLSearchParams(q)))).toBe(q);
    }
  });

  it("counts done in the cumulative flow since the window start unless cfd=total", () => {
    expect(parseView({ cfd: "total" }).cfd).toBe("total");
    expect(viewToSearch({ ...parseView({ cfd: "total" }), cfd: "since" })).toBe("");
  });

  it("ignores malformed values instead of failing the page", () => {
    expect(parseView({ range: "7", from: "2026-02-30", to: "2026-03-01", as_of: "yesterday", cfd: "rebased" })).toEqual({ range: 90, interval: "week", cfd: "since" });
    expect(parseView({ from: "2026-03-05", to: "2026-03-01" }).range).toBe(90);
  });

  it("turns a preset into dates in the team's timezone, ending on as_of's date", () => {
    const now = new Date("2026-03-31T23:30:00Z");
    expect(metricRequest(parseView({ range: "30" }), "Europe/Berlin", now)).toEqual({ from: "2026-03-03", to: "2026-04-01" });
    expect(metricRequest(parseView({ range: "30" }), "UTC", now)).toEqual({ from: "2026-03-02", to: "2026-03-31" });
    expect(metricRequest(parseView({ as_of: "2026-01-10T12:00:00Z", type: "bug" }), "UTC", now)).toEqual({ from: "2025-10-13", to: "2026-01-10", as_of: "2026-01-10T12:00:00Z", type: "bug" });
  });
});
