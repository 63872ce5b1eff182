import { describe, expect, it } from "vitest";
import type { BlockedSpan } from "../../lib/metrics/compute/blocked-time";
import { computeBlockedTime } from "../../lib/metrics/compute/blocked-time";
import { explainItem, splitBlockedIntervals } from "../../lib/metrics/compute/item-explain";
import { deriveTransitionFacts, factAt } from "../../lib/metrics/compute/item-facts";
import { workflowOf, type WorkflowStatus } from "../../lib/metrics/compute/workflow";

const workflow = workflowOf([
  { name: "Backlog", category: "todo", blocked: false, discarded: false },
  { name: "Ready", category: "todo", blocked: false, discarded: false },
  { name: "In Progress", category: "in_progress", blocked: false, discarded: false },
  { name: "Review", category: "in_progress", blocked: false, discarded: false },
  { name: "Done", category: "done", blocked: false, discarded: false },
  { name: "Released", category: "done", blocked: false, discarded: false },
  { name: "Won't Do", category: "done", blocked: false, discarded: true },
] satisfies WorkflowStatus[]);

const d = (s: string) => new Date(s);
const t = (at: string, to: string) => ({ at: d(at), to });
const facts = (...ts: { at: Date; to: string }[]) => deriveTransitionFacts(ts, workflow);
const AS_OF = d("2026-02-01T00:00:00Z");

/** The explainer's instants are the facts' started_at and finished_at at as_of. */
function expectAgrees(f: ReturnType<typeof facts>, asOf: Date) {
  const e = explainItem(f, asOf);
  const now = factAt(f, asOf);
  expect(e.start?.at.getTime() ?? null).toBe(now?.startedAt?.getTime() ?? null);
  expect(e.finish?.at.getTime() ?? null).toBe(now?.finishedAt?.getTime() ?? null);
  return e;
}

describe("explainItem: which transition set started_at and finished_at (spec §2)", () => {
  it("plain start: left Ready, its last to-do status", () => {
    const f = facts(t("2026-01-01T09:00:00Z", "Backlog"), t("2026-01-02T09:00:00Z", "Ready"), t("2026-01-03T10:14:00Z", "In Progress"));
    const e = expectAgrees(f, AS_OF);
    expect(e.status).toBe("In Progress");
    expect(e.start).toEqual({ kind: "left_todo", at: d("2026-01-03T10:14:00Z"), from: "Ready", to: "In Progress", intoDone: false });
    expect(e.finish).toBeNull();
    expect(e.restarts).toEqual([]);
    expect(e.reopenings).toEqual([]);
  });

  it("never in a to-do status: started at its first transition", () => {
    const f = facts(t("2026-01-05T09:00:00Z", "In Progress"), t("2026-01-06T10:00:00Z", "Review"));
    const e = expectAgrees(f, AS_OF);
    expect(e.start).toEqual({ kind: "first_transition", at: d("2026-01-05T09:00:00Z"), from: null, to: "In Progress", intoDone: false });
  });

  it("skipped in progress: started when it entered done, the same instant as the finish", () => {
    const f = facts(t("2026-01-05T09:00:00Z", "Ready"), t("2026-01-06T10:00:00Z", "Done"));
    const e = expectAgrees(f, AS_OF);
    expect(e.start).toEqual({ kind: "left_todo", at: d("2026-01-06T10:00:00Z"), from: "Ready", to: "Done", intoDone: true });
    expect(e.finish).toEqual({ at: d("2026-01-06T10:00:00Z"), from: "Ready", to: "Done", laterMoves: [], discarded: false });
  });

  it("is not started while in a to-do status, and has no status before its first transition", () => {
    const f = facts(t("2026-01-05T09:00:00Z", "Backlog"));
    expect(explainItem(f, d("2026-01-05T08:00:00Z"))).toEqual({ status: null, category: null, start: null, restarts: [], finish: null, reopenings: [] });
    const e = expectAgrees(f, AS_OF);
    expect(e).toMatchObject({ status: "Backlog", category: "todo", start: null, finish: null });
  });

  it("restart: each move back to a to-do status erases the start it had", () => {
    const f = facts(
      t("2026-01-01T09:00:00Z", "Ready"),
      t("2026-01-02T09:00:00Z", "In Progress"),
      t("2026-01-03T09:00:00Z", "Backlog"),
      t("2026-01-04T09:00:00Z", "Ready"),
      t("2026-01-05T09:00:00Z", "Review"),
      t("2026-01-06T09:00:00Z", "Ready"),
      t("2026-01-10T09:00:00Z", "In Progress"),
    );
    const e = expectAgrees(f, AS_OF);
    expect(e.start).toEqual({ kind: "left_todo", at: d("2026-01-10T09:00:00Z"), from: "Ready", to: "In Progress", intoDone: false });
    expect(e.restarts).toEqual([
      { at: d("2026-01-03T09:00:00Z"), from: "In Progress", to: "Backlog", erasedStart: d("2026-01-02T09:00:00Z") },
      { at: d("2026-01-06T09:00:00Z"), from: "Review", to: "Ready", erasedStart: d("2026-01-05T09:00:00Z") },
    ]);
    // Between the move back and the restart it is not started, and the move is already listed.
    const between = expectAgrees(f, d("2026-01-07T00:00:00Z"));
    expect(between.start).toBeNull();
    expect(between.restarts).toHaveLength(2);
  });

  it("restart of an item never in to-do: its first transition's start is erased too", () => {
    const f = facts(t("2026-01-01T09:00:00Z", "In Progress"), t("2026-01-02T09:00:00Z", "Backlog"), t("2026-01-03T09:00:00Z", "In Progress"));
    const e = expectAgrees(f, AS_OF);
    expect(e.restarts).toEqual([{ at: d("2026-01-02T09:00:00Z"), from: "In Progress", to: "Backlog", erasedStart: d("2026-01-01T09:00:00Z") }]);
    expect(e.start?.kind).toBe("left_todo");
    expect(e.start?.from).toBe("Backlog");
  });

  it("reopen: keeps the start, is not finished until done again, then finished by the new entry", () => {
    const f = facts(
      t("2026-01-01T09:00:00Z", "Backlog"),
      t("2026-01-02T09:00:00Z", "In Progress"),
      t("2026-01-04T09:00:00Z", "Done"),
      t("2026-01-05T09:00:00Z", "Review"),
      t("2026-01-08T09:00:00Z", "Done"),
    );
    const reopened = expectAgrees(f, d("2026-01-06T00:00:00Z"));
    expect(reopened.finish).toBeNull();
    expect(reopened.start?.at).toEqual(d("2026-01-02T09:00:00Z"));
    expect(reopened.reopenings).toEqual([
      { at: d("2026-01-05T09:00:00Z"), from: "Done", to: "Review", toCategory: "in_progress", undoneFinish: d("2026-01-04T09:00:00Z"), finishedAgainAt: null },
    ]);

    const e = expectAgrees(f, AS_OF);
    expect(e.finish).toEqual({ at: d("2026-01-08T09:00:00Z"), from: "Review", to: "Done", laterMoves: [], discarded: false });
    expect(e.reopenings[0]!.finishedAgainAt).toEqual(d("2026-01-08T09:00:00Z"));
    expect(e.restarts).toEqual([]);
  });

  it("reopen to a to-do status is also a restart", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-04T09:00:00Z", "Done"), t("2026-01-05T09:00:00Z", "Backlog"), t("2026-01-06T09:00:00Z", "In Progress"));
    const e = expectAgrees(f, AS_OF);
    expect(e.reopenings).toEqual([{ at: d("2026-01-05T09:00:00Z"), from: "Done", to: "Backlog", toCategory: "todo", undoneFinish: d("2026-01-04T09:00:00Z"), finishedAgainAt: null }]);
    expect(e.restarts).toEqual([{ at: d("2026-01-05T09:00:00Z"), from: "Done", to: "Backlog", erasedStart: d("2026-01-02T09:00:00Z") }]);
    expect(e.start?.at).toEqual(d("2026-01-06T09:00:00Z"));
  });

  it("Done → Released: the finish stays at the entry into Done, the later move is listed", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-04T09:00:00Z", "Done"), t("2026-01-06T09:00:00Z", "Released"));
    const e = expectAgrees(f, AS_OF);
    expect(e.status).toBe("Released");
    expect(e.finish).toEqual({
      at: d("2026-01-04T09:00:00Z"),
      from: "In Progress",
      to: "Done",
      laterMoves: [{ at: d("2026-01-06T09:00:00Z"), from: "Done", to: "Released" }],
      discarded: false,
    });
  });

  it("only the last run of done statuses sets the finish", () => {
    const f = facts(
      t("2026-01-02T09:00:00Z", "In Progress"),
      t("2026-01-03T09:00:00Z", "Done"),
      t("2026-01-04T09:00:00Z", "Released"),
      t("2026-01-05T09:00:00Z", "Review"),
      t("2026-01-07T09:00:00Z", "Done"),
      t("2026-01-08T09:00:00Z", "Released"),
    );
    const e = expectAgrees(f, AS_OF);
    expect(e.finish?.laterMoves).toEqual([{ at: d("2026-01-08T09:00:00Z"), from: "Done", to: "Released" }]);
    expect(e.reopenings).toEqual([
      { at: d("2026-01-05T09:00:00Z"), from: "Released", to: "Review", toCategory: "in_progress", undoneFinish: d("2026-01-03T09:00:00Z"), finishedAgainAt: d("2026-01-07T09:00:00Z") },
    ]);
  });

  it("discarded: finished in a discarded status; Won't Do → Done keeps the finish and is not discarded", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-04T09:00:00Z", "Won't Do"), t("2026-01-06T09:00:00Z", "Done"));
    expect(expectAgrees(f, d("2026-01-05T00:00:00Z")).finish).toEqual({ at: d("2026-01-04T09:00:00Z"), from: "In Progress", to: "Won't Do", laterMoves: [], discarded: true });
    const e = expectAgrees(f, AS_OF);
    expect(e.finish).toMatchObject({ at: d("2026-01-04T09:00:00Z"), to: "Won't Do", discarded: false });
    expect(e.finish?.laterMoves).toEqual([{ at: d("2026-01-06T09:00:00Z"), from: "Won't Do", to: "Done" }]);
  });

  it("ignores transitions after as_of", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-04T09:00:00Z", "Done"), t("2026-03-01T09:00:00Z", "Backlog"));
    const e = expectAgrees(f, AS_OF);
    expect(e.status).toBe("Done");
    expect(e.reopenings).toEqual([]);
    expect(e.restarts).toEqual([]);
  });
});

describe("splitBlockedIntervals (spec §3 blocked time)", () => {
  const HOUR = 3_600_000;
  const span = (start: string, end: string | null, reason: string | null = null): BlockedSpan => ({ start: d(start), end: end ? d(end) : null, reason });
  const base = { asOf: d("2026-01-10T00:00:00Z"), startedAt: d("2026-01-02T00:00:00Z"), finishedAt: null };

  it("counts a span inside the item's active time in full", () => {
    const [s] = splitBlockedIntervals({ ...base, spans: [span("2026-01-03T00:00:00Z", "2026-01-03T10:00:00Z", "vendor")] });
    expect(s!.counted).toEqual({ start: d("2026-01-03T00:00:00Z"), end: d("2026-01-03T10:00:00Z"), hours: 10, open: false });
    expect(s!.clipped).toEqual([]);
    expect(s!.open).toBe(false);
    expect(s!.span.reason).toBe("vendor");
  });

  it("clips the part before the start", () => {
    const [s] = splitBlockedIntervals({ ...base, spans: [span("2026-01-01T00:00:00Z", "2026-01-02T06:00:00Z")] });
    expect(s!.counted).toEqual({ start: d("2026-01-02T00:00:00Z"), end: d("2026-01-02T06:00:00Z"), hours: 6, open: false });
    expect(s!.clipped).toEqual([{ start: d("2026-01-01T00:00:00Z"), end: d("2026-01-02T00:00:00Z"), hours: 24, why: "before_start" }]);
  });

  it("clips all of a span that ended before the start", () => {
    const [s] = splitBlockedIntervals({ ...base, spans: [span("2026-01-01T00:00:00Z", "2026-01-01T12:00:00Z")] });
    expect(s!.counted).toBeNull();
    expect(s!.clipped).toEqual([{ start: d("2026-01-01T00:00:00Z"), end: d("2026-01-01T12:00:00Z"), hours: 12, why: "before_start" }]);
  });

  it("clips what runs on after the finish, up to as_of for a flag never cleared", () => {
    const finishedAt = d("2026-01-05T00:00:00Z");
    const [before, after] = splitBlockedIntervals({ ...base, finishedAt, spans: [span("2026-01-06T00:00:00Z", "2026-01-06T02:00:00Z"), span("2026-01-04T00:00:00Z", null, "vendor")] });
    // Earliest first.
    expect(before!.span.reason).toBe("vendor");
    expect(before!.open).toBe(true);
    expect(before!.end).toEqual(base.asOf);
    expect(before!.counted).toEqual({ start: d("2026-01-04T00:00:00Z"), end: finishedAt, hours: 24, open: false });
    expect(before!.clipped).toEqual([{ start: finishedAt, end: base.asOf, hours: 5 * 24, why: "after_finish" }]);
    expect(after!.counted).toBeNull();
    expect(after!.clipped).toEqual([{ start: d("2026-01-06T00:00:00Z"), end: d("2026-01-06T02:00:00Z"), hours: 2, why: "after_finish" }]);
  });

  it("clips both ends of a span that covers the whole item", () => {
    const [s] = splitBlockedIntervals({ ...base, finishedAt: d("2026-01-05T00:00:00Z"), spans: [span("2026-01-01T00:00:00Z", "2026-01-06T00:00:00Z")] });
    expect(s!.counted?.hours).toBe(3 * 24);
    expect(s!.clipped.map((c) => [c.why, c.hours])).toEqual([
      ["before_start", 24],
      ["after_finish", 24],
    ]);
  });

  it("clips all of it when the item has not started", () => {
    const [s] = splitBlockedIntervals({ ...base, startedAt: null, spans: [span("2026-01-03T00:00:00Z", null, "a")] });
    expect(s!.counted).toBeNull();
    expect(s!.clipped).toEqual([{ start: d("2026-01-03T00:00:00Z"), end: base.asOf, hours: 7 * 24, why: "not_started" }]);
  });

  it("marks the counted part of an open span on an unfinished item as open; ignores spans after as_of", () => {
    const spans = [span("2026-01-08T00:00:00Z", null, "vendor"), span("2026-01-11T00:00:00Z", null), span("2026-01-09T00:00:00Z", "2026-01-12T00:00:00Z")];
    const split = splitBlockedIntervals({ ...base, spans });
    expect(split).toHaveLength(2);
    expect(split[0]!.counted).toEqual({ start: d("2026-01-08T00:00:00Z"), end: base.asOf, hours: 48, open: true });
    // An end after as_of is not known at as_of: the span is open.
    expect(split[1]!.open).toBe(true);
    expect(split[1]!.counted?.open).toBe(true);
  });

  it("counts, merged, what computeBlockedTime counts", () => {
    const input = {
      ...base,
      finishedAt: d("2026-01-06T00:00:00Z"),
      spans: [span("2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z"), span("2026-01-02T12:00:00Z", "2026-01-04T00:00:00Z"), span("2026-01-05T00:00:00Z", null)],
    };
    const counted = splitBlockedIntervals(input).flatMap((s) => (s.counted ? [s.counted] : []));
    let union = 0;
    let reach = -Infinity;
    for (const c of counted) {
      union += Math.max(0, c.end.getTime() - Math.max(c.start.getTime(), reach));
      reach = Math.max(reach, c.end.getTime());
    }
    expect(union).toBe(computeBlockedTime(input).blockedMs);
    expect(union).toBe(3 * 24 * HOUR);
  });
});
