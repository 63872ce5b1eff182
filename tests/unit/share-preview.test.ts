import { describe, expect, it } from "vitest";
import { barHeights, flowPreview } from "../../lib/views/share-preview";

describe("share link previews", () => {
  it("scales bars to the tallest, keeps the last ones, and draws nothing from nothing", () => {
    expect(barHeights([1, 2, 4])).toEqual([0.25, 0.5, 1]);
    expect(barHeights([0, 0])).toEqual([0, 0]);
    expect(barHeights([5, 1, 2, 3], 2)).toEqual([2 / 3, 1]);
    expect(barHeights([-1, 2])).toEqual([0, 1]);
  });

  it("picks the series a chart stands for", () => {
    const throughput = { daily: [], weekly: [{ week: "2026-W01", count: 3 }, { week: "2026-W02", count: 5 }] };
    const cycle = { count: 3, percentiles: { p50: 1, p70: 2, p85: 3, p95: 3 }, items: [1, 3, 3].map((d, i) => ({ key: `K-${i}`, started_at: "", finished_at: "", cycle_time_days: d, cycle_time_hours: 1 })) };
    const data = [
      { metric: "throughput" as const, result: throughput },
      { metric: "cycle-time" as const, result: cycle },
    ];
    expect(flowPreview(null, data).values).toEqual([3, 5]);
    expect(flowPreview("histogram", data)).toEqual({ caption: "items per cycle time in days", values: [1, 0, 2] });
  });
});
