import { describe, expect, it } from "vitest";
import { decisionMark, withDecisionMarks } from "../../lib/views/decision-marks";
import { orderRoadblocks, trackerBlockers, waitingLabel, withProposals } from "../../lib/views/roadblock-view";

const rb = (id: number, item_key: string, ended_at: string | null = null) => ({ id, item_key, proposal: `proposal ${id}`, support_needed: id === 1 ? "platform" : null, ended_at });

describe("withProposals", () => {
  it("gives each open blocker the open roadblocks of its item, by key, and leaves the rest as they were", () => {
    const open = [
      { key: "PAY-1", age_days: 3 },
      { key: "PAY-2", age_days: 1 },
    ];
    expect(withProposals(open, [rb(1, "PAY-1"), rb(2, "PAY-1", "2026-03-01T00:00:00Z"), rb(3, "PAY-9"), rb(4, "PAY-1")])).toEqual([
      { key: "PAY-1", age_days: 3, roadblocks: [{ id: 1, proposal: "proposal 1", support_needed: "platform" }, { id: 4, proposal: "proposal 4", support_needed: null }] },
      { key: "PAY-2", age_days: 1, roadblocks: [] },
    ]);
  });
});

describe("trackerBlockers", () => {
  it("keeps the open blockers no open roadblock explains, marked as the tracker's", () => {
    const open = [{ key: "PAY-1" }, { key: "PAY-2" }, { key: "PAY-3" }];
    expect(trackerBlockers(open, [rb(1, "PAY-1"), rb(2, "PAY-2", "2026-03-01T00:00:00Z")])).toEqual([
      { key: "PAY-2", source: "tracker" },
      { key: "PAY-3", source: "tracker" },
    ]);
  });
});

describe("waitingLabel", () => {
  it("counts whole days", () => {
    expect(waitingLabel(0)).toBe("waiting less than a day for an answer");
    expect(waitingLabel(23.99)).toBe("waiting less than a day for an answer");
    expect(waitingLabel(24)).toBe("waiting 1 day for an answer");
    expect(waitingLabel(73)).toBe("waiting 3 days for an answer");
  });
});

describe("orderRoadblocks", () => {
  it("puts open ones first, longest waiting first, then ended ones, latest ended first", () => {
    const r = (id: number, reported_at: string, ended_at: string | null) => ({ id, reported_at, ended_at, decided_at: ended_at });
    const { open, ended } = orderRoadblocks([r(1, "2026-03-02", null), r(2, "2026-03-01", "2026-03-05"), r(3, "2026-03-01", null), r(4, "2026-03-01", "2026-03-06")]);
    expect(open.map((x) => x.id)).toEqual([3, 1]);
    expect(ended.map((x) => x.id)).toEqual([4, 2]);
  });
});

describe("decision marks", () => {
  const d = { id: 7, title: "Freeze the API", rationale: "two incidents", decided_on: "2026-03-08", decided_at: "2026-03-08T10:00:00Z", decided_by: "Ada", path: "/teams/pay/decisions/7" };
  it("draws a decision as a one-day, linked mark whose id never meets an annotation's", () => {
    expect(decisionMark(d)).toEqual({ id: -7, starts_on: "2026-03-08", ends_on: null, label: "Freeze the API", note: "Decision: two incidents", author: "Ada", created_at: "2026-03-08T10:00:00Z", href: "/teams/pay/decisions/7" });
  });
  it("merges decisions among annotations by date, keeping the annotations as they are", () => {
    const a = (id: number, starts_on: string) => ({ id, starts_on, ends_on: null, label: `a${id}`, note: null, author: null, created_at: "2026-03-01T00:00:00Z" });
    expect(withDecisionMarks([a(7, "2026-03-01"), a(8, "2026-03-08"), a(9, "2026-03-09")], [d]).map((m) => m.id)).toEqual([7, 8, -7, 9]);
  });
});
