import { describe, expect, it } from "vitest";
import type { MappedRecord, TrackerStatus } from "../../lib/connectors/tracker";
import { buildSyncDocument } from "../../lib/ingest/sync-document";

const statuses: TrackerStatus[] = [
  { id: "10", name: "Done", suggested: "done" },
  { id: "1", name: "To Do", suggested: "todo" },
  { id: "3", name: "Review", suggested: "in_progress" },
  { id: "4", name: "Review", suggested: "in_progress" },
  { id: "5", name: "Won't Do", suggested: "done", discarded: true },
];

function record(key: string, transitions: [string, string, string][], extra: Partial<Extract<MappedRecord, { ok: true }>["item"]> = {}): MappedRecord {
  return {
    ok: true,
    item: { key, title: key, type: "story", created_at: transitions[0]![0], url: null, milestone: null, transitions: transitions.map(([at, statusId, name]) => ({ at, statusId, name })), blocks: [], ...extra },
    milestones: [],
    cleaned: [],
  };
}

describe("the work-history document a sync derives", () => {
  it("orders the workflow by category then the tracker's order, names by id, and keeps two ids under one name apart", () => {
    const doc = buildSyncDocument([{ recordId: "a", mapped: record("A-1", [["2026-01-01T00:00:00Z", "1", "To Do"], ["2026-01-02T00:00:00Z", "4", "Review"]]) }], statuses, {});
    expect(doc.workflow.map((w) => `${w.status}:${w.category}${w.discarded ? ":discarded" : ""}`)).toEqual(["To Do:todo", "Review:in_progress", "Review (4):in_progress", "Done:done", "Won't Do:done:discarded"]);
    expect(doc.items[0]!.item.transitions).toEqual([
      { at: "2026-01-01T00:00:00Z", to: "To Do" },
      { at: "2026-01-02T00:00:00Z", to: "Review (4)" },
    ]);
  });

  it("keeps a status only the history names, with in_progress proposed, and reports it as unlisted (a name already taken gets its id)", () => {
    const doc = buildSyncDocument(
      [{ recordId: "a", mapped: record("A-1", [["2026-01-01T00:00:00Z", "1", "To Do"], ["2026-01-02T00:00:00Z", "77", "QA"], ["2026-01-03T00:00:00Z", "78", "Done"]]) }],
      statuses,
      { "78": { category: "done" } },
    );
    expect(doc.unlisted).toEqual([
      { id: "77", name: "QA" },
      { id: "78", name: "Done (78)" },
    ]);
    expect(doc.workflow.find((w) => w.status === "QA")).toMatchObject({ category: "in_progress" });
    expect(doc.workflow.find((w) => w.status === "Done (78)")).toMatchObject({ category: "done" });
    expect(Object.keys(doc.reasons).some((r) => r.includes('"QA" (77)') && r.includes("no longer in its status list"))).toBe(true);
  });

  it("lets the admin's mapping win over the tracker's suggestion", () => {
    const doc = buildSyncDocument([], statuses, { "3": { category: "in_progress", blocked: true }, "10": { category: "done" }, "5": { category: "done", discarded: false } });
    expect(doc.workflow.find((w) => w.status === "Review")).toMatchObject({ blocked: true });
    expect(doc.workflow.find((w) => w.status === "Won't Do")).toMatchObject({ discarded: false });
  });

  it("sorts transitions by time, drops repeats of the same status, and skips what is invalid or a second holder of a key, with reasons", () => {
    const doc = buildSyncDocument(
      [
        { recordId: "a", mapped: record("A-1", [["2026-01-03T00:00:00Z", "10", "Done"], ["2026-01-01T00:00:00Z", "1", "To Do"], ["2026-01-02T00:00:00Z", "1", "To Do"]]) },
        { recordId: "b", mapped: record("A-1", [["2026-01-01T00:00:00Z", "1", "To Do"]]) },
        { recordId: "c", mapped: record("A-3", [["2026-01-01T00:00:00Z", "1", "To Do"]], { url: "javascript:alert(1)" }) },
        { recordId: "d", mapped: { ok: false, reason: "a pull request, not an issue" } },
      ],
      statuses,
      {},
    );
    expect(doc.items.map((i) => i.recordId)).toEqual(["a"]);
    expect(doc.items[0]!.item.transitions).toEqual([
      { at: "2026-01-01T00:00:00Z", to: "To Do" },
      { at: "2026-01-03T00:00:00Z", to: "Done" },
    ]);
    expect(doc.skipped).toBe(3);
    expect(doc.reasons).toEqual({
      "skipped: a pull request, not an issue": 1,
      "skipped: key A-1 held by another record (first kept)": 1,
      "skipped: url must be an http(s) URL": 1,
    });
  });
});
