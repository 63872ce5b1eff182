import { describe, expect, it } from "vitest";
import { deriveTransitionFacts } from "../../lib/metrics/compute/item-facts";
import { checkItemQuality, QUALITY_CHECKS, QUALITY_GUIDE, type QualityBlock } from "../../lib/metrics/compute/quality";
import { workflowOf, type WorkflowStatus } from "../../lib/metrics/compute/workflow";

const statuses = [
  { name: "Backlog", category: "todo", blocked: false, discarded: false },
  { name: "Ready", category: "todo", blocked: false, discarded: false },
  { name: "In Progress", category: "in_progress", blocked: false, discarded: false },
  { name: "Review", category: "in_progress", blocked: false, discarded: false },
  { name: "Done", category: "done", blocked: false, discarded: false },
  { name: "Released", category: "done", blocked: false, discarded: false },
  { name: "Won't Do", category: "done", blocked: false, discarded: true },
] satisfies WorkflowStatus[];
const workflow = workflowOf(statuses);
const positions = new Map(statuses.map((s, i) => [s.name, i]));

interface Case {
  transitions: [string, string][];
  blocks?: [string, string | null][];
  created?: string;
  asOf?: string;
}

function check({ transitions, blocks = [], created, asOf = "2026-01-20T00:00:00Z" }: Case) {
  const facts = deriveTransitionFacts(
    transitions.map(([at, to]) => ({ at: new Date(at), to })),
    workflow,
  );
  const quality: QualityBlock[] = blocks.map(([start, end]) => ({ start: new Date(start), end: end ? new Date(end) : null }));
  return checkItemQuality({ createdAt: new Date(created ?? transitions[0]![0]), facts, blocks: quality, positions, asOf: new Date(asOf) });
}

const clean: [string, string][] = [
  ["2026-01-01T09:00:00Z", "Backlog"],
  ["2026-01-02T09:00:00Z", "In Progress"],
  ["2026-01-04T09:00:00Z", "Done"],
];

describe("data quality (spec v1.1 §3)", () => {
  it("passes an item that flowed forward, blocked while started", () => {
    expect(check({ transitions: clean, blocks: [["2026-01-03T09:00:00Z", "2026-01-03T12:00:00Z"]] })).toEqual([]);
  });

  it("skipped_in_progress: finished, not discarded, started_at = finished_at", () => {
    expect(check({ transitions: [["2026-01-01T09:00:00Z", "Backlog"], ["2026-01-02T09:00:00Z", "Done"]] })).toEqual(["skipped_in_progress"]);
    // Created straight in done: never in todo, so it starts and finishes at its first transition.
    expect(check({ transitions: [["2026-01-02T09:00:00Z", "Done"]] })).toEqual(["skipped_in_progress"]);
    // A discarded item is not counted as a skip.
    expect(check({ transitions: [["2026-01-01T09:00:00Z", "Backlog"], ["2026-01-02T09:00:00Z", "Won't Do"]] })).toEqual([]);
    // Not yet finished at as_of: no skip.
    expect(check({ transitions: [["2026-01-01T09:00:00Z", "Backlog"], ["2026-01-02T09:00:00Z", "Done"]], asOf: "2026-01-01T12:00:00Z" })).toEqual([]);
  });

  it("moved_backwards: from a status that is not done to one earlier in the workflow order", () => {
    expect(check({ transitions: [...clean.slice(0, 2), ["2026-01-03T09:00:00Z", "Backlog"], ["2026-01-04T09:00:00Z", "In Progress"]], asOf: "2026-01-05T00:00:00Z" })).toEqual([
      "moved_backwards",
    ]);
    // Review → In Progress is backwards too, and Ready → Backlog (both to-do) as well.
    expect(check({ transitions: [["2026-01-02T09:00:00Z", "Review"], ["2026-01-03T09:00:00Z", "In Progress"]], asOf: "2026-01-05T00:00:00Z" })).toEqual(["moved_backwards"]);
    expect(check({ transitions: [["2026-01-02T09:00:00Z", "Ready"], ["2026-01-03T09:00:00Z", "Backlog"]] })).toEqual(["moved_backwards"]);
    // A move after as_of is ignored.
    expect(check({ transitions: [["2026-01-02T09:00:00Z", "Review"], ["2026-01-25T09:00:00Z", "In Progress"]], asOf: "2026-01-05T00:00:00Z" })).toEqual([]);
  });

  it("reopened: from a done status to one that is not done (not also moved backwards)", () => {
    expect(check({ transitions: [...clean, ["2026-01-05T09:00:00Z", "Review"], ["2026-01-06T09:00:00Z", "Done"]] })).toEqual(["reopened"]);
    // Between done statuses, even to an earlier one, is neither.
    expect(check({ transitions: [...clean, ["2026-01-05T09:00:00Z", "Released"], ["2026-01-06T09:00:00Z", "Done"]] })).toEqual([]);
  });

  it("blocked_before_start: a block that starts before started_at, or on an item not started at as_of", () => {
    expect(check({ transitions: clean, blocks: [["2026-01-01T10:00:00Z", "2026-01-03T00:00:00Z"]] })).toEqual(["blocked_before_start"]);
    expect(check({ transitions: [["2026-01-01T09:00:00Z", "Backlog"]], blocks: [["2026-01-05T10:00:00Z", null]] })).toEqual(["blocked_before_start"]);
    // Exactly at the start is not before it; a block after as_of is ignored.
    expect(check({ transitions: clean, blocks: [["2026-01-02T09:00:00Z", "2026-01-03T00:00:00Z"]] })).toEqual([]);
    expect(check({ transitions: [["2026-01-01T09:00:00Z", "Backlog"]], blocks: [["2026-01-25T10:00:00Z", null]] })).toEqual([]);
  });

  it("flag_after_finish: finished with a block whose end is null or later than finished_at", () => {
    expect(check({ transitions: clean, blocks: [["2026-01-03T09:00:00Z", null]] })).toEqual(["flag_after_finish"]);
    expect(check({ transitions: clean, blocks: [["2026-01-03T09:00:00Z", "2026-01-04T09:00:01Z"]] })).toEqual(["flag_after_finish"]);
    expect(check({ transitions: clean, blocks: [["2026-01-03T09:00:00Z", "2026-01-04T09:00:00Z"]] })).toEqual([]);
    // v1.1: Done → Released keeps the finish at Done, so a flag cleared at Released is after it.
    expect(check({ transitions: [...clean, ["2026-01-06T09:00:00Z", "Released"]], blocks: [["2026-01-03T09:00:00Z", "2026-01-05T09:00:00Z"]] })).toEqual([
      "flag_after_finish",
    ]);
  });

  it("created_after_first_transition: created_at later than the first transition", () => {
    expect(check({ transitions: clean, created: "2026-01-01T09:00:01Z" })).toEqual(["created_after_first_transition"]);
    expect(check({ transitions: clean, created: "2026-01-01T09:00:00Z" })).toEqual([]);
  });

  it("stalled: in progress and nothing moved in the 120 hours up to as_of, the instant 120 h before excluded", () => {
    const started: [string, string][] = [["2026-01-01T09:00:00Z", "Backlog"], ["2026-01-10T12:00:00Z", "In Progress"]];
    expect(check({ transitions: started, asOf: "2026-01-15T12:00:00Z" })).toEqual(["stalled"]);
    expect(check({ transitions: started, asOf: "2026-01-15T11:59:59Z" })).toEqual([]);
    // A block start or end inside the 120 hours counts as movement; one after as_of does not.
    expect(check({ transitions: started, blocks: [["2026-01-11T00:00:00Z", "2026-01-14T00:00:00Z"]], asOf: "2026-01-17T00:00:00Z" })).toEqual([]);
    expect(check({ transitions: started, blocks: [["2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"]], asOf: "2026-01-17T00:00:00Z" })).toEqual(["stalled"]);
    // Finished or still to do: never stalled.
    expect(check({ transitions: clean, asOf: "2026-03-01T00:00:00Z" })).toEqual([]);
    expect(check({ transitions: [["2026-01-01T09:00:00Z", "Backlog"]], asOf: "2026-03-01T00:00:00Z" })).toEqual([]);
  });

  it("lists an item under every check it fails, in the report's order", () => {
    const failed = check({
      transitions: [["2026-01-01T09:00:00Z", "Review"], ["2026-01-02T09:00:00Z", "Backlog"], ["2026-01-03T09:00:00Z", "Done"], ["2026-01-04T09:00:00Z", "In Progress"]],
      blocks: [["2026-01-01T10:00:00Z", null]],
      created: "2026-01-05T00:00:00Z",
      asOf: "2026-02-01T00:00:00Z",
    });
    expect(failed).toEqual(["moved_backwards", "reopened", "blocked_before_start", "created_after_first_transition", "stalled"]);
  });

  it("has a guide sentence for every check", () => {
    for (const c of QUALITY_CHECKS) expect(QUALITY_GUIDE[c].meaning.length).toBeGreaterThan(20);
  });
});
