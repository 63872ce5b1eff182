import { describe, expect, it } from "vitest";
import { blockedFactsOf, blockedTimeFromFacts, computeBlockedTime, type BlockedSpan } from "../../lib/metrics/compute/blocked-time";
import { seededRandom } from "../../lib/metrics/compute/random";

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
    expect(r).toEqual({ blockedMs: 0, open: null, byReasonMs: new Map(), growingReasons: new Set() });
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

  it("keeps, in an item's facts at its last change, its blocked time at every later as_of", () => {
    // Random items: spans before and after the start, open and closed, touching and zero-length,
    // finished or not; as_of from the last change to weeks later.
    const random = seededRandom(11);
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const at = (hours: number) => new Date(t0 + Math.round(hours) * HOUR);
    let withOpen = 0;
    let withFacts = 0;
    for (let n = 0; n < 2000; n++) {
      const spans = Array.from({ length: Math.floor(random() * 5) }, () => {
        const start = random() * 200;
        const end = random() < 0.25 ? null : start + (random() < 0.1 ? 0 : random() * 50);
        return { start: at(start), end: end === null ? null : at(end), reason: random() < 0.2 ? null : ["vendor", "review", "Blocked"][Math.floor(random() * 3)]! };
      }).sort((a, b) => a.start.getTime() - b.start.getTime());
      const startedAt = random() < 0.1 ? null : at(random() * 150);
      const finishedAt = startedAt && random() < 0.4 ? at(startedAt.getTime() / HOUR - t0 / HOUR + random() * 120) : null;
      const instants = [startedAt, finishedAt, ...spans.flatMap((s) => [s.start, s.end])].filter((x): x is Date => x !== null).map((x) => x.getTime());
      const validFrom = new Date(Math.max(t0, ...instants));
      const facts = blockedFactsOf({ validFrom, startedAt, finishedAt, spans });
      for (const later of [0, 1, 37, 24 * 40]) {
        const asOf = new Date(validFrom.getTime() + later * HOUR);
        const expected = computeBlockedTime({ asOf, startedAt, finishedAt, spans });
        if (!facts) {
          expect(expected.blockedMs, `item ${n} at +${later} h`).toBe(0);
          expect(expected.open).toBeNull();
          continue;
        }
        withFacts++;
        if (expected.open) withOpen++;
        const got = blockedTimeFromFacts(facts, asOf);
        expect(got.blockedMs, `item ${n} at +${later} h`).toBe(expected.blockedMs);
        expect(got.open, `item ${n} at +${later} h`).toEqual(expected.open);
        expect(got.byReasonMs, `item ${n} at +${later} h`).toEqual(expected.byReasonMs);
      }
    }
    // The cases cover both kinds.
    expect(withFacts).toBeGreaterThan(1000);
    expect(withOpen).toBeGreaterThan(200);
  });

  it("refuses an as_of before the facts' last change", () => {
    const facts = blockedFactsOf({ validFrom: d("2026-01-05T00:00:00Z"), startedAt: d("2026-01-02T00:00:00Z"), finishedAt: null, spans: [span("2026-01-03T00:00:00Z", null, "a")] })!;
    expect(blockedTimeFromFacts(facts, d("2026-01-06T00:00:00Z")).blockedMs).toBe(3 * 24 * HOUR);
    expect(() => blockedTimeFromFacts(facts, d("2026-01-04T00:00:00Z"))).toThrow(/last change/);
  });
});
