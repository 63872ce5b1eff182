import { describe, expect, it } from "vitest";
import { computePercentiles, highestExceeded, nearestRank } from "../../lib/metrics/compute/percentiles";

describe("nearest-rank percentiles", () => {
  it("takes the value at rank ceil(p/100 × n)", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(values, 50)).toBe(5);
    expect(nearestRank(values, 70)).toBe(7);
    expect(nearestRank(values, 85)).toBe(9);
    expect(nearestRank(values, 95)).toBe(10);
  });

  it("never lets floating point push an exact rank up (0.7 × 10 is rank 7)", () => {
    for (let n = 1; n <= 2000; n++) {
      const values = Array.from({ length: n }, (_, i) => i + 1);
      for (const p of [50, 70, 85, 95]) expect(nearestRank(values, p)).toBe(Math.floor((p * n + 99) / 100));
    }
  });

  it("is null without values and the value itself for one", () => {
    expect(computePercentiles([])).toEqual({ p50: null, p70: null, p85: null, p95: null });
    expect(computePercentiles([4])).toEqual({ p50: 4, p70: 4, p85: 4, p95: 4 });
  });

  it("sorts unsorted input", () => {
    expect(computePercentiles([9, 1, 5, 3, 7])).toEqual({ p50: 5, p70: 7, p85: 9, p95: 9 });
  });

  it("reports the highest percentile an age strictly exceeds", () => {
    const p = { p50: 3, p70: 5, p85: 8, p95: 13 };
    expect(highestExceeded(3, p)).toBeNull();
    expect(highestExceeded(4, p)).toBe("p50");
    expect(highestExceeded(8, p)).toBe("p70");
    expect(highestExceeded(9, p)).toBe("p85");
    expect(highestExceeded(14, p)).toBe("p95");
    expect(highestExceeded(100, { p50: null, p70: null, p85: null, p95: null })).toBeNull();
  });
});
