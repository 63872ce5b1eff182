import { describe, expect, it } from "vitest";
import { labelIndexes, niceMax, scale, yTicks } from "../../lib/views/static-chart";

describe("server-drawn chart geometry", () => {
  it("rounds the top of the y axis up to 1, 2, 2.5 or 5 × 10^k", () => {
    expect([0, 0.3, 1, 3, 7, 11, 24, 26, 480, 1001].map(niceMax)).toEqual([1, 0.5, 1, 5, 10, 20, 25, 50, 500, 2000]);
  });

  it("spreads ticks from 0 to the top", () => {
    expect(yTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(yTicks(1, 2)).toEqual([0, 0.5, 1]);
  });

  it("labels at most six categories, always the first and the last", () => {
    expect(labelIndexes(3)).toEqual([0, 1, 2]);
    expect(labelIndexes(53)).toEqual([0, 10, 21, 31, 42, 52]);
    expect(labelIndexes(0)).toEqual([]);
  });

  it("maps a domain onto a range, the middle for a single point", () => {
    expect(scale(5, [0, 10], [0, 200])).toBe(100);
    expect(scale(0, [0, 10], [200, 0])).toBe(200);
    expect(scale(3, [3, 3], [0, 100])).toBe(50);
  });
});
