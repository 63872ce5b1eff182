// The GitHub mapper with a Projects (v2) field as the status: the issue's events (recorded, from
// DevLake) with project histories in the shape of GitHub's public GraphQL schema (hand-built, see
// tests/fixtures/github/SOURCE.md). Expected transitions are read off the histories by hand.
import { describe, expect, it } from "vitest";
import { GitHubConfigInput, type GitHubMapConfig } from "../../lib/connectors/github/api-types";
import { mapGitHubIssue, NO_STATUS, projectStatuses, projectStatusId, suggestedProjectCategory } from "../../lib/connectors/github/mapper";
import type { MappedRecord } from "../../lib/connectors/tracker";
import { HistoryHeaderInput } from "../../lib/ingest/history-schema";
import { devlakeIssue, PROJECT_FIXTURE } from "../fixtures/github/fake-github";

/* eslint-disable @typescript-eslint/no-explicit-any */
const ORG = "octokit-fixture-org";
const project = { owner: ORG, number: 7, field: "Status" };
const config = (overrides: Partial<GitHubMapConfig> = {}): GitHubMapConfig => ({ repo: "ants", inProgress: { label: null, assignment: false }, blockerLabels: ["blocked"], project, ...overrides });

function mapped(record: MappedRecord) {
  if (!record.ok) throw new Error(`expected a work item, got: ${record.reason}`);
  return record;
}
const steps = (record: MappedRecord) => mapped(record).item.transitions.map((t) => [t.at, t.name]);

/** A payload as the connector stores it: the issue, its REST events, its project items and events. */
function payload(number: number, history = PROJECT_FIXTURE.issues[String(number)]) {
  const { issue, events } = devlakeIssue(number);
  return { issue, events, project: { items: structuredClone(history.projectItems.nodes), timeline: structuredClone(history.timelineItems.nodes) } };
}

let nextId = 1;
const ref = (number = 7, login = ORG) => ({ number, owner: { login } });
const changed = (createdAt: string, previousStatus: string, status: string, p = ref()) => ({ __typename: "ProjectV2ItemStatusChangedEvent", id: `PVTISC_t${nextId++}`, createdAt, previousStatus, status, project: p });
const removed = (createdAt: string) => ({ __typename: "RemovedFromProjectV2Event", id: `RFPV2E_t${nextId++}`, createdAt, project: ref() });
const item = (name: string | null, updatedAt: string, field = "Status") => ({ isArchived: false, project: ref(), fieldValue: name === null ? null : { __typename: "ProjectV2ItemFieldSingleSelectValue", name, updatedAt, field: { name: field } } });
const rest = (event: string, created_at: string, extra: Record<string, unknown> = {}) => ({ id: 9000 + nextId++, event, created_at, ...extra });

/** The recorded #225 as an open issue created 2024-03-01, with the given REST events and project history. */
function issueWith(patch: Record<string, unknown>, events: unknown[], timeline: unknown[], items: unknown[]) {
  const { issue } = devlakeIssue(225);
  const base = { ...issue, labels: [], assignees: [], assignee: null, state: "open", state_reason: null, closed_at: null, created_at: "2024-03-01T09:00:00Z", updated_at: "2024-03-20T09:00:00Z", ...patch };
  return { issue: base, events, project: { items, timeline } };
}

describe("mapGitHubIssue with a project's field as the status", () => {
  it("panjf2000/ants#220: the field's history replaces assignment; a change made after the closing moves nothing", () => {
    const result = mapped(mapGitHubIssue(payload(220), config()));
    // In label mode its assignment at creation would make it in progress at once.
    expect(result.item.transitions).toEqual([
      { at: "2022-04-21T01:11:58Z", statusId: "open", name: NO_STATUS },
      { at: "2022-04-22T09:00:00Z", statusId: projectStatusId("In Progress"), name: "In Progress" },
      { at: "2022-05-07T11:29:32Z", statusId: "closed", name: "Closed" },
    ]);
    expect(result.cleaned).toEqual([]);
    // The blocker labels still make blocks.
    expect(mapped(mapGitHubIssue(payload(220), config({ blockerLabels: ["waiting for response"] }))).item.blocks).toEqual([{ start: "2022-04-24T15:19:07Z", end: null, reason: "waiting for response" }]);
  });

  it("panjf2000/ants#226: set to Todo, then closed as not planned (a discarded done)", () => {
    expect(steps(mapGitHubIssue(payload(226), config()))).toEqual([
      ["2022-05-21T16:39:29Z", NO_STATUS],
      ["2022-05-21T16:40:00Z", "Todo"],
      ["2022-05-22T10:46:11Z", "Closed as not planned"],
    ]);
  });

  it("a status changed several times and moved back; another project's events are left out", () => {
    const timeline = [
      changed("2024-03-02T10:00:00Z", "", "Todo"),
      changed("2024-03-03T10:00:00Z", "Todo", "In Progress"),
      changed("2024-03-03T12:00:00Z", "", "Triage", ref(8)),
      changed("2024-03-03T13:00:00Z", "", "Elsewhere", ref(7, "someone-else")),
      changed("2024-03-05T10:00:00Z", "In Progress", "In Review"),
      changed("2024-03-06T10:00:00Z", "In Review", "In Progress"),
      changed("2024-03-08T10:00:00Z", "In Progress", "In Review"),
    ];
    const result = mapped(mapGitHubIssue(issueWith({}, [], timeline, [item("In Review", "2024-03-08T10:00:00Z")]), config()));
    expect(steps(result)).toEqual([
      ["2024-03-01T09:00:00Z", NO_STATUS],
      ["2024-03-02T10:00:00Z", "Todo"],
      ["2024-03-03T10:00:00Z", "In Progress"],
      ["2024-03-05T10:00:00Z", "In Review"],
      ["2024-03-06T10:00:00Z", "In Progress"],
      ["2024-03-08T10:00:00Z", "In Review"],
    ]);
    expect(result.cleaned).toEqual([]);
    // Owner logins match as GitHub matches them, in any case.
    expect(steps(mapGitHubIssue(issueWith({}, [], timeline, []), config({ project: { ...project, owner: ORG.toUpperCase() } })))).toHaveLength(6);
  });

  it("closed, then reopened: back to the field's value at the reopening (changed while closed), or no status once it has none", () => {
    const events = [rest("closed", "2024-03-05T10:00:00Z", { state_reason: "completed" }), rest("reopened", "2024-03-07T10:00:00Z"), rest("closed", "2024-03-09T10:00:00Z", { state_reason: "completed" }), rest("reopened", "2024-03-12T10:00:00Z")];
    const timeline = [
      changed("2024-03-02T10:00:00Z", "Todo", "In Progress"),
      // Automation sets Done as it closes; someone moves it back to In Review while still closed.
      changed("2024-03-05T10:00:01Z", "In Progress", "Done"),
      changed("2024-03-06T10:00:00Z", "Done", "In Review"),
      removed("2024-03-10T10:00:00Z"),
    ];
    const result = mapped(mapGitHubIssue(issueWith({ state: "open" }, events, timeline, []), config()));
    expect(steps(result)).toEqual([
      // The first change's previous value is the value since creation.
      ["2024-03-01T09:00:00Z", "Todo"],
      ["2024-03-02T10:00:00Z", "In Progress"],
      ["2024-03-05T10:00:00Z", "Closed"],
      ["2024-03-07T10:00:00Z", "In Review"],
      ["2024-03-09T10:00:00Z", "Closed"],
      // Removed from the project while closed: the reopening finds no status (todo).
      ["2024-03-12T10:00:00Z", NO_STATUS],
    ]);
  });

  it("the field's value now wins over missing events (another field than Status has no history); a repeated event counts once", () => {
    const once = changed("2024-03-02T10:00:00Z", "", "In Progress");
    const drift = mapped(mapGitHubIssue(issueWith({}, [], [once, once], [item("Parked", "2024-03-04T10:00:00Z")]), config()));
    expect(steps(drift)).toEqual([
      ["2024-03-01T09:00:00Z", NO_STATUS],
      ["2024-03-02T10:00:00Z", "In Progress"],
      ["2024-03-04T10:00:00Z", "Parked"],
    ]);
    expect(drift.cleaned).toEqual([{ reason: "project field value taken from the item itself (no event for it)", count: 1 }]);

    const size = config({ project: { ...project, field: "Stage" } });
    expect(steps(mapGitHubIssue(issueWith({}, [], [], [item("Building", "2024-03-04T10:00:00Z", "Stage")]), size))).toEqual([
      ["2024-03-01T09:00:00Z", NO_STATUS],
      ["2024-03-04T10:00:00Z", "Building"],
    ]);
    // A value stored for another field than the configured one is no evidence either way.
    expect(steps(mapGitHubIssue(issueWith({}, [], [once], [item("Parked", "2024-03-04T10:00:00Z", "Stage")]), config()))).toHaveLength(2);
  });

  it("with a project, labels and assignees move no status; without one, the same payload maps as before", () => {
    const events = [rest("assigned", "2024-03-02T10:00:00Z", { assignee: { login: "alice", id: 7 } }), rest("labeled", "2024-03-03T10:00:00Z", { label: { name: "doing" } })];
    const payload = issueWith({ assignees: [{ login: "alice", id: 7 }], labels: [{ name: "doing" }] }, events, [], []);
    expect(steps(mapGitHubIssue(payload, config({ inProgress: { label: "doing", assignment: true } })))).toEqual([["2024-03-01T09:00:00Z", NO_STATUS]]);
    expect(steps(mapGitHubIssue(payload, config({ project: null, inProgress: { label: null, assignment: true } })))).toEqual([
      ["2024-03-01T09:00:00Z", "Open"],
      ["2024-03-02T10:00:00Z", "In progress"],
    ]);
  });

  it("names the field of a payload that does not fit", () => {
    const bad = issueWith({}, [], [{ __typename: "ProjectV2ItemStatusChangedEvent", createdAt: "yesterday" }], []);
    expect(mapGitHubIssue(bad, config())).toEqual({ ok: false, reason: expect.stringMatching(/^not a GitHub issue as expected: project\.timeline\[0\]\.createdAt: /) });
  });
});

describe("a project source's statuses", () => {
  it("are no status, the field's options with the categories their names suggest, and GitHub's closings", () => {
    const options = PROJECT_FIXTURE.project.data.repositoryOwner.projectV2.field.options;
    const statuses = projectStatuses(options);
    expect(statuses.map((s) => [s.id, s.name, s.suggested, s.discarded ?? false])).toEqual([
      ["open", NO_STATUS, "todo", false],
      ["project:Todo", "Todo", "todo", false],
      ["project:In Progress", "In Progress", "in_progress", false],
      ["project:In Review", "In Review", "in_progress", false],
      ["project:Done", "Done", "done", false],
      ["project:Parked", "Parked", null, false],
      ["closed", "Closed", "done", false],
      ["not_planned", "Closed as not planned", "done", true],
      ["duplicate", "Closed as duplicate", "done", true],
    ]);
    // GitHub's templates decorate option names.
    expect(["📋 Backlog", "🏗 In progress", "👀 In review", "✅ Done", "Blocked"].map(suggestedProjectCategory)).toEqual(["todo", "in_progress", "in_progress", "done", null]);
    const workflow = statuses.map((s) => ({ status: s.name, category: s.suggested ?? "in_progress", discarded: s.discarded ?? false }));
    expect(HistoryHeaderInput.safeParse({ version: 1, team: { key: "web" }, workflow }).success).toBe(true);
  });
});

describe("the project settings", () => {
  const base = { token: "x", owner: "acme", repo: "web" };
  const issues = (input: unknown) => {
    const parsed = GitHubConfigInput.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join("."), i.message]);
  };

  it("take the owner, the number (as text too, from the CLI) and the field (Status by default); assignment then stops counting", () => {
    expect(GitHubConfigInput.parse({ ...base, project: { owner: "acme", number: "7" } })).toMatchObject({ project: { owner: "acme", number: 7, field: "Status" }, inProgress: { label: null, assignment: false } });
    expect(GitHubConfigInput.parse(base)).toMatchObject({ project: null, inProgress: { label: null, assignment: true } });
    expect(GitHubConfigInput.parse({ ...base, inProgress: { assignment: "false", label: "doing" } })).toMatchObject({ inProgress: { label: "doing", assignment: false } });
  });

  it("refuse a wrong or unknown key by name, and a label or assignment alongside a project", () => {
    expect(issues({ ...base, project: { owner: "acme", number: 0 } })).toEqual([["project.number", "must be a whole number from 1"]]);
    expect(issues({ ...base, project: { owner: "acme", number: "seven" } })).toEqual([["project.number", "must be a whole number, e.g. 7"]]);
    expect(issues({ ...base, project: { owner: "acme", number: 7, feild: "Stage" } })).toEqual([["project", 'Unrecognized key: "feild"']]);
    expect(issues({ ...base, inProgress: { assignment: "yes" } })).toEqual([["inProgress.assignment", "must be true or false"]]);
    expect(issues({ ...base, project: { owner: "acme", number: 7 }, inProgress: { label: "doing", assignment: true } }).map(([where]) => where)).toEqual(["inProgress.label", "inProgress.assignment"]);
  });
});
