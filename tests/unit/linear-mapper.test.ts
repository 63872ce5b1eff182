// The Linear mapper on the recorded faros issues and on hand-written cases of what a real team does.
import { describe, expect, it } from "vitest";
import { mapLinearIssue, toTrackerStatus } from "../../lib/connectors/linear/mapper";
import type { MappedRecord } from "../../lib/connectors/tracker";
import { completeRecorded, identifierFromUrl, recordedIssues, recordedNodes } from "../fixtures/linear/recorded";

type Ok = Extract<MappedRecord, { ok: true }>;

function ok(record: MappedRecord): Ok {
  if (!record.ok) throw new Error(`not mapped: ${record.reason}`);
  return record;
}

const S = {
  todo: { id: "st-todo", name: "Todo" },
  doing: { id: "st-doing", name: "In Progress" },
  done: { id: "st-done", name: "Done" },
  canceled: { id: "st-canceled", name: "Canceled" },
};

/** An issue in the shape of our query, with no history, relations, project or cycle. */
function issue(over: Record<string, unknown> = {}) {
  return {
    id: "0b6c0a52-0000-4000-8000-000000000001",
    identifier: "ENG-12",
    title: "Refunds in one click",
    url: "https://linear.app/acme/issue/ENG-12/refunds-in-one-click",
    createdAt: "2026-01-05T09:00:00.000Z",
    updatedAt: "2026-01-20T09:00:00.000Z",
    completedAt: null,
    canceledAt: null,
    team: { id: "team-1", key: "ENG", timezone: "Europe/Berlin" },
    state: S.todo,
    labels: { nodes: [] },
    project: null,
    cycle: null,
    history: { nodes: [] },
    inverseRelations: { nodes: [] },
    ...over,
  };
}

const change = (createdAt: string, fromState: { id: string; name: string } | null, toState: { id: string; name: string } | null) => ({ createdAt, fromState, toState });

describe("the recorded faros issues", () => {
  const nodes = recordedNodes();

  it("map every one, keyed by identifier, with its title, creation and link", () => {
    expect(nodes).toHaveLength(11);
    for (const node of nodes) {
      const { item, cleaned } = ok(mapLinearIssue(completeRecorded(node), { milestones: "project" }));
      expect(item.key).toBe(identifierFromUrl(node.url));
      expect(item.title).toBe(node.title);
      expect(item.created_at).toBe(node.createdAt);
      expect(item.url).toBe(node.url);
      expect(cleaned).toEqual([]);
    }
    expect(new Set(recordedIssues().map((i) => ok(mapLinearIssue(i, { milestones: "project" })).item.key)).size).toBe(11);
  });

  it("turn each state change of the history into a transition, oldest first, ending in the current state", () => {
    for (const node of nodes) {
      const { item } = ok(mapLinearIssue(completeRecorded(node), { milestones: "project" }));
      const changes = node.history.nodes.filter((h) => h.toState).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      expect(item.transitions).toHaveLength(1 + changes.length);
      expect(item.transitions[0]!.at).toBe(node.createdAt);
      expect(item.transitions[0]!.statusId).toBe((changes[0]?.fromState ?? node.state).id);
      expect(item.transitions.slice(1)).toEqual(changes.map((h) => ({ at: h.createdAt, statusId: h.toState!.id, name: h.toState!.name })));
      expect(item.transitions.at(-1)!.statusId).toBe(node.state.id);
    }
  });

  it("DEV-1, checked by hand: Todo at creation, In Progress at the one state change among three entries", () => {
    const node = nodes.find((n) => identifierFromUrl(n.url) === "DEV-1")!;
    // Recorded newest first: two entries without a state (08:19 on the 21st, 16:31 on the 20th), then Todo → In Progress.
    expect(node.history.nodes.map((h) => h.createdAt)).toEqual(["2022-06-21T08:19:48.315Z", "2022-06-20T16:31:15.712Z", "2022-06-20T15:35:30.340Z"]);
    const { item, milestones } = ok(mapLinearIssue(completeRecorded(node), { milestones: "project" }));
    expect(item.transitions).toEqual([
      { at: "2022-06-16T15:07:18.821Z", statusId: "0cacd186-b5ea-4649-8192-d3ce436c8231", name: "Todo" },
      { at: "2022-06-20T15:35:30.340Z", statusId: "fcd017ea-e24f-4345-9e8e-7dc3bfbe953e", name: "In Progress" },
    ]);
    expect(item.type).toBe("Bug");
    expect(item.milestone).toBe("43a993a9-878c-4bd2-8863-c19347cea072");
    expect(milestones).toEqual([{ key: "43a993a9-878c-4bd2-8863-c19347cea072", name: "my first project", due_on: null, shipped_at: null }]);
    expect(item.blocks).toEqual([]);
  });

  it("DEV-11, never moved: one transition, to its current state at creation", () => {
    const node = nodes.find((n) => identifierFromUrl(n.url) === "DEV-11")!;
    expect(node.history.nodes).toEqual([]);
    const { item } = ok(mapLinearIssue(completeRecorded(node), { milestones: "project" }));
    expect(item.transitions).toEqual([{ at: "2022-06-20T16:24:21.116Z", statusId: "0cacd186-b5ea-4649-8192-d3ce436c8231", name: "Todo" }]);
  });

  it("take the type from the first label, or 'issue' without one", () => {
    const byKey = new Map(recordedIssues().map((i) => [i.identifier, ok(mapLinearIssue(i, { milestones: "project" })).item]));
    expect(byKey.get("DEV-11")!.type).toBe("Bug");
    expect(byKey.get("DEV-3")!.type).toBe("issue");
  });

  it("use the cycle as the milestone when configured: due on its last day, not yet shipped", () => {
    const dev1 = recordedIssues().find((i) => i.identifier === "DEV-1")!;
    const { item, milestones } = ok(mapLinearIssue(dev1, { milestones: "cycle" }));
    // Cycle 1 ends 2022-07-10T17:00Z; in UTC (the recording has no timezone) its last day is the 10th.
    expect(milestones).toEqual([{ key: "d6eb162d-45a5-47e1-8338-4442fa139c13", name: "Cycle 1", due_on: "2022-07-10", shipped_at: null }]);
    expect(item.milestone).toBe("d6eb162d-45a5-47e1-8338-4442fa139c13");
    const dev3 = recordedIssues().find((i) => i.identifier === "DEV-3")!;
    expect(ok(mapLinearIssue(dev3, { milestones: "cycle" })).milestones).toEqual([]);
  });

  it("leave the payload as it was (the engine re-maps stored payloads)", () => {
    const payload = recordedIssues()[0]!;
    const before = structuredClone(payload);
    mapLinearIssue(payload, { milestones: "cycle" });
    expect(payload).toEqual(before);
  });
});

describe("workflow states", () => {
  it("suggest categories from Linear's state types; canceled is done and discarded", () => {
    const of = (type: string) => toTrackerStatus({ id: `s-${type}`, name: type, type });
    expect(of("triage")).toEqual({ id: "s-triage", name: "triage", suggested: "todo" });
    expect(of("backlog").suggested).toBe("todo");
    expect(of("unstarted").suggested).toBe("todo");
    expect(of("started").suggested).toBe("in_progress");
    expect(of("completed")).toEqual({ id: "s-completed", name: "completed", suggested: "done" });
    expect(of("canceled")).toEqual({ id: "s-canceled", name: "canceled", suggested: "done", discarded: true });
    expect(of("something-new").suggested).toBeNull();
  });
});

describe("focused cases", () => {
  it("a reopened issue goes back from completed to started", () => {
    const { item } = ok(
      mapLinearIssue(
        issue({
          state: S.doing,
          history: {
            nodes: [
              change("2026-01-12T10:00:00.000Z", S.done, S.doing),
              change("2026-01-06T10:00:00.000Z", S.todo, S.doing),
              change("2026-01-09T16:00:00.000Z", S.doing, S.done),
            ],
          },
        }),
        { milestones: "project" },
      ),
    );
    expect(item.transitions.map((t) => [t.at, t.statusId])).toEqual([
      ["2026-01-05T09:00:00.000Z", S.todo.id],
      ["2026-01-06T10:00:00.000Z", S.doing.id],
      ["2026-01-09T16:00:00.000Z", S.done.id],
      ["2026-01-12T10:00:00.000Z", S.doing.id],
    ]);
  });

  it("a canceled issue ends in the canceled state, which the status list marks discarded", () => {
    const { item } = ok(
      mapLinearIssue(
        issue({ state: S.canceled, canceledAt: "2026-01-08T12:00:00.000Z", history: { nodes: [change("2026-01-08T12:00:00.000Z", S.todo, S.canceled)] } }),
        { milestones: "project" },
      ),
    );
    expect(item.transitions.at(-1)).toEqual({ at: "2026-01-08T12:00:00.000Z", statusId: S.canceled.id, name: "Canceled" });
    expect(toTrackerStatus({ ...S.canceled, type: "canceled" })).toMatchObject({ id: item.transitions.at(-1)!.statusId, suggested: "done", discarded: true });
  });

  it("a blocked-by relation is a block from the relation's creation to the blocker's completion", () => {
    const blocker = (identifier: string, completedAt: string | null, canceledAt: string | null = null) => ({ id: `id-${identifier}`, identifier, completedAt, canceledAt });
    const { item, cleaned } = ok(
      mapLinearIssue(
        issue({
          inverseRelations: {
            nodes: [
              { id: "r1", type: "blocks", createdAt: "2026-01-08T08:00:00.000Z", issue: blocker("ENG-3", "2026-01-10T17:00:00.000Z") },
              { id: "r2", type: "related", createdAt: "2026-01-07T08:00:00.000Z", issue: blocker("ENG-4", null) },
              { id: "r3", type: "blocks", createdAt: "2026-01-06T08:00:00.000Z", issue: blocker("OPS-9", null) },
              { id: "r4", type: "blocks", createdAt: "2026-01-09T08:00:00.000Z", issue: blocker("ENG-5", null, "2026-01-11T08:00:00.000Z") },
              { id: "r5", type: "blocks", createdAt: "2026-01-15T08:00:00.000Z", issue: blocker("ENG-6", "2026-01-14T08:00:00.000Z") },
            ],
          },
        }),
        { milestones: "project" },
      ),
    );
    expect(item.blocks).toEqual([
      { start: "2026-01-06T08:00:00.000Z", end: null, reason: "blocked by OPS-9" },
      { start: "2026-01-08T08:00:00.000Z", end: "2026-01-10T17:00:00.000Z", reason: "blocked by ENG-3" },
      { start: "2026-01-09T08:00:00.000Z", end: "2026-01-11T08:00:00.000Z", reason: "blocked by ENG-5" },
    ]);
    expect(cleaned).toEqual([{ reason: expect.stringMatching(/after either issue was finished/), count: 1 }]);
  });

  it("a block still open when the blocked issue itself is completed ends there", () => {
    const { item } = ok(
      mapLinearIssue(
        issue({
          completedAt: "2026-01-09T12:00:00.000Z",
          inverseRelations: { nodes: [{ id: "r1", type: "blocks", createdAt: "2026-01-08T08:00:00.000Z", issue: { id: "b", identifier: "ENG-3", completedAt: null, canceledAt: null } }] },
        }),
        { milestones: "project" },
      ),
    );
    expect(item.blocks).toEqual([{ start: "2026-01-08T08:00:00.000Z", end: "2026-01-09T12:00:00.000Z", reason: "blocked by ENG-3" }]);
  });

  it("NUL characters leave the title and are counted", () => {
    const { item, cleaned } = ok(mapLinearIssue(issue({ title: "Fix\u0000 login\u0000" }), { milestones: "project" }));
    expect(item.title).toBe("Fix login");
    expect(cleaned).toEqual([{ reason: "NUL characters removed from titles", count: 2 }]);
  });

  it("a state renamed under the same id keeps its id; each change keeps the name it recorded", () => {
    const review = { id: "st-review", name: "Review" };
    const renamed = { id: "st-review", name: "In Review" };
    const { item } = ok(
      mapLinearIssue(
        issue({
          state: renamed,
          history: {
            nodes: [
              change("2026-01-06T10:00:00.000Z", S.todo, review),
              change("2026-01-07T10:00:00.000Z", review, S.doing),
              change("2026-01-08T10:00:00.000Z", S.doing, renamed),
            ],
          },
        }),
        { milestones: "project" },
      ),
    );
    expect(item.transitions.map((t) => t.statusId)).toEqual([S.todo.id, "st-review", S.doing.id, "st-review"]);
    expect(item.transitions[1]!.name).toBe("Review");
    expect(item.transitions[3]!.name).toBe("In Review");
  });

  it("a first change without a from-state starts the issue in its to-state", () => {
    const { item } = ok(mapLinearIssue(issue({ state: S.doing, history: { nodes: [change("2026-01-06T10:00:00.000Z", null, S.doing)] } }), { milestones: "project" }));
    expect(item.transitions).toEqual([{ at: "2026-01-05T09:00:00.000Z", statusId: S.doing.id, name: "In Progress" }]);
  });

  it("a project's target date is the due date and its completion the ship date", () => {
    const { milestones } = ok(
      mapLinearIssue(issue({ project: { id: "p1", name: "Checkout v2", targetDate: "2026-03-01", completedAt: "2026-03-04T12:00:00.000Z" } }), { milestones: "project" }),
    );
    expect(milestones).toEqual([{ key: "p1", name: "Checkout v2", due_on: "2026-03-01", shipped_at: "2026-03-04T12:00:00.000Z" }]);
  });

  it("a cycle's last day is read in the Linear team's timezone", () => {
    // Midnight starting 2 March in New York is 05:00 UTC: the last day is 1 March there, 2 March in UTC.
    const cycle = { id: "c7", number: 7, name: null, endsAt: "2026-03-02T05:00:00.000Z", completedAt: "2026-03-02T05:00:00.000Z" };
    const inZone = (timezone: string) => ok(mapLinearIssue(issue({ team: { id: "t", key: "ENG", timezone }, cycle }), { milestones: "cycle" })).milestones;
    expect(inZone("America/New_York")).toEqual([{ key: "c7", name: "Cycle 7", due_on: "2026-03-01", shipped_at: "2026-03-02T05:00:00.000Z" }]);
    expect(inZone("UTC")[0]!.due_on).toBe("2026-03-02");
  });

  it("a payload that is not an issue of our query is refused, naming the field", () => {
    const { identifier: _, ...noIdentifier } = issue();
    const record = mapLinearIssue(noIdentifier, { milestones: "project" });
    expect(record).toEqual({ ok: false, reason: expect.stringContaining("identifier") });
    expect(mapLinearIssue(issue({ history: { nodes: [{ createdAt: "yesterday", toState: S.done }] } }), { milestones: "project" })).toEqual({
      ok: false,
      reason: expect.stringContaining("history.nodes[0].createdAt"),
    });
  });
});
