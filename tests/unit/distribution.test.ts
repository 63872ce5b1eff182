import { describe, expect, it } from "vitest";
import { blockedShare, cycleTimeHistogram } from "../../lib/metrics/compute/distribution";

describe("chart shapes", () => {
  it("bins cycle times by whole days, gaps as zeros", () => {
    expect(cycleTimeHistogram([3, 1, 3, 5])).toEqual([
      { days: 1, count: 1 },
      { days: 2, count: 0 },
      { days: 3, count: 2 },
      { days: 4, count: 0 },
      { days: 5, count: 1 },
    ]);
    expect(cycleTimeHistogram([])).toEqual([]);
  });

  it("computes the blocked share of finished items", () => {
    const r = blockedShare(
      [
        { key: "A", cycle_time_hours: 100 },
        { key: "B", cycle_time_hours: 100 },
      ],
      [
        { key: "A", blocked_hours: 50 },
        { key: "Z", blocked_hours: 999 },
      ],
    );
    expect(r).toEqual({ items: 2, blockedItems: 1, share: 0.25 });
    expect(blockedShare([], []).share).toBeNull();
  });
});
