import { describe, expect, it } from "vitest";
import { computeBlockedTime, type BlockedSpan } from "../../lib/metrics/compute/blocked-time";

const d = (s: string) => new Date(s);
const span = (start: string, end: string | null, reason: string | null = null): BlockedSpan => ({ start: d(start), end: end ? d(end) : null, reason });
const HOUR = 3_600_000;

describe("blocked time (spec §3)", () => {
  const base = { asOf: d("2026-01-10T00:00:00Z"), startedAt: d("2026-01-02T00:00:00Z"), finishedAt: null };

  it("unions overlapping and touching spans", () => {
    const r = computeBlockedTime({
      ...base,
      spans: [span("2026-01-03T00:00:00Z", "2026-01-03T10:00:00Z", "a"), span("2026-01-03T05:00:00Z", "2026-01-03T12:00:00Z", "b"), span("2026-01-03T12:00:00Z", "2026-01-03T14:00:00Z", "c")],
    });
    expect(r.blockedMs).toBe(14 * HOUR);
    expect(r.open).toBeNull();
  });

  it("clips to the start: an item has no blocked time before it started", () => {
    const r = computeBlockedTime({ ...base, spans: [span("2026-01-01T00:00:00Z", "2026-01-02T06:00:00Z", "a")] });
    expect(r.blockedMs).toBe(6 * HOUR);
  });

  it("gives an item that has not started no blocked time and no open blocker", () => {
    const r = computeBlockedTime({ ...base, startedAt: null, spans: [span("2026-01-03T00:00:00Z", null, "a")] });
    expect(r).toEqual({ blockedMs: 0, open: null, byReasonMs: new Map() });
  });

  it("ends a finished item's blocked time at its finish, even when the flag was never cleared", () => {
    const r = computeBlockedTime({ ...base, finishedAt: d("2026-01-05T00:00:00Z"), spans: [span("2026-01-04T00:00:00Z", null, "a")] });
    expect(r.blockedMs).toBe(24 * HOUR);
    expect(r.open).toBeNull();
  });

  it("reports the open blocker with its merged start and every reason, earliest first", () => {
    const r = computeBlockedTime({
      ...base,
      spans: [span("2026-01-08T00:00:00Z", null, "vendor"), span("2026-01-07T00:00:00Z", "2026-01-08T00:00:00Z", "review"), span("2026-01-07T12:00:00Z", "2026-01-07T13:00:00Z", "review"), span("2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "old")],
    });
    expect(r.open?.since.toISOString()).toBe("2026-01-07T00:00:00.000Z");
    expect(r.open?.reasons).toEqual(["review", "vendor"]);
    expect(r.blockedMs).toBe(24 * HOUR + 72 * HOUR);
  });

  it("ignores spans that begin after as_of and counts open spans up to as_of", () => {
    const r = computeBlockedTime({ ...base, spans: [span("2026-01-09T00:00:00Z", null), span("2026-01-11T00:00:00Z", null, "future")] });
    expect(r.blockedMs).toBe(24 * HOUR);
    expect(r.open?.reasons).toEqual([]);
  });

  it("treats a block that ends exactly at as_of as closed", () => {
    const r = computeBlockedTime({ ...base, spans: [span("2026-01-09T00:00:00Z", "2026-01-10T00:00:00Z", "x")] });
    expect(r.open).toBeNull();
    expect(r.blockedMs).toBe(24 * HOUR);
  });
});

describe("blocked time by reason", () => {
  it("counts each reason's own union, overlaps included", () => {
    const r = computeBlockedTime({
      asOf: d("2026-01-10T00:00:00Z"),
      startedAt: d("2026-01-02T00:00:00Z"),
      finishedAt: null,
      spans: [span("2026-01-03T00:00:00Z", "2026-01-03T10:00:00Z", "a"), span("2026-01-03T05:00:00Z", "2026-01-03T12:00:00Z", "b"), span("2026-01-03T08:00:00Z", "2026-01-03T11:00:00Z", "a")],
    });
    expect(r.blockedMs).toBe(12 * HOUR);
    expect(Object.fromEntries(r.byReasonMs)).toEqual({ a: 11 * HOUR, b: 7 * HOUR });
  });
});
