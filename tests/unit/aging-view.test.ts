import { describe, expect, it } from "vitest";
import { QUALITY_CHECKS } from "../../lib/metrics/compute/quality";
import type { QualityResult } from "../../lib/metrics/load";
import { agingList, countStalled, markStalled, STALLED_LEGEND, STALLED_NOTE, stalledKeys } from "../../lib/views/aging-view";

/** A quality report in the API's shape: every check present, the given keys failing. */
function report(failing: Partial<Record<(typeof QUALITY_CHECKS)[number], string[]>>): QualityResult {
  return { items_checked: 40, checks: QUALITY_CHECKS.map((check) => ({ check, count: failing[check]?.length ?? 0, items: failing[check] ?? [] })) };
}

const aging = [
  { key: "PAY-3", status: "Review", age_days: 9, age_hours: 200.5, exceeds: "p85" },
  { key: "PAY-7", status: "In Progress", age_days: 2, age_hours: 30, exceeds: null },
  { key: "PAY-12", status: "Blocked", age_days: 30, age_hours: 700, exceeds: "p95" },
];

describe("stalled marks on the aging card", () => {
  it("marks exactly the aging items the stalled check lists, and no item another check lists", () => {
    const keys = stalledKeys(report({ stalled: ["PAY-12", "PAY-3"], moved_backwards: ["PAY-7"], reopened: ["PAY-7"] }));
    const marked = markStalled(aging, keys);
    expect(marked.map((i) => [i.key, i.stalled])).toEqual([
      ["PAY-3", true],
      ["PAY-7", false],
      ["PAY-12", true],
    ]);
    expect(countStalled(marked, keys)).toBe(2);
  });

  it("keeps the API's fields as they are", () => {
    const marked = markStalled(aging, stalledKeys(report({ stalled: ["PAY-3"] })));
    marked.forEach((m, i) => expect(m).toEqual({ ...aging[i], stalled: m.stalled }));
    expect(aging[0]).not.toHaveProperty("stalled");
  });

  it("marks none when the check found none", () => {
    const keys = stalledKeys(report({ moved_backwards: ["PAY-3"] }));
    expect(keys?.size).toBe(0);
    const marked = markStalled(aging, keys);
    expect(marked.some((i) => i.stalled)).toBe(false);
    expect(countStalled(marked, keys)).toBe(0);
  });

  it("ignores a listed key that is not in progress in the aging result", () => {
    const keys = stalledKeys(report({ stalled: ["PAY-99"] }));
    expect(countStalled(markStalled(aging, keys), keys)).toBe(0);
  });

  it("knows nothing without a report: no marks and no count (not zero)", () => {
    const keys = stalledKeys(undefined);
    expect(keys).toBeNull();
    const marked = markStalled(aging, keys);
    expect(marked.some((i) => i.stalled)).toBe(false);
    expect(countStalled(marked, keys)).toBeNull();
  });

  it("lists the oldest first, at most the limit, or every stalled item when asked", () => {
    const many = Array.from({ length: 15 }, (_, n) => ({ key: `K-${n}`, age_hours: n * 10, stalled: n === 0 || n === 9 }));
    expect(agingList(many, false).map((i) => i.key)).toEqual(["K-14", "K-13", "K-12", "K-11", "K-10", "K-9", "K-8", "K-7", "K-6", "K-5", "K-4", "K-3"]);
    // K-0 is the youngest: beyond the dozen, but listed once the reader asks for the stalled ones.
    expect(agingList(many, true).map((i) => i.key)).toEqual(["K-9", "K-0"]);
    expect(agingList(many, false, 2).map((i) => i.key)).toEqual(["K-14", "K-13"]);
  });

  it("says what stalled means in the check's own terms", () => {
    expect(STALLED_LEGEND).toBe("stalled: no movement for 5 days");
    expect(STALLED_NOTE).toBe("stalled: no movement in 120 hours");
  });
});
