// The GitHub mapper on recorded payloads (tests/fixtures/github/SOURCE.md) and on hand-built event
// lists in GitHub's shape. Expected transitions are read off the recordings by hand.
import { describe, expect, it } from "vitest";
import type { GitHubMapConfig } from "../../lib/connectors/github/api-types";
import { closedStatus, GITHUB_STATUSES, mapGitHubIssue, mapGitHubMilestone, sortEvents } from "../../lib/connectors/github/mapper";
import type { MappedRecord } from "../../lib/connectors/tracker";
import { HistoryHeaderInput, WorkItemInput } from "../../lib/ingest/history-schema";
import { paginateIssues, readFixture } from "../fixtures/github/fake-github";

/* eslint-disable @typescript-eslint/no-explicit-any */
const devlakeRows: any[] = readFixture("devlake/_raw_github_api_events.subset.json");
const github3pyEvents: any[] = readFixture("github3py/Repository_issue_events.issues-761-762.json");
const betamaxIssues: any[] = readFixture("github3py/Repository_issues_state_all.issues-100-40.json");
const issueEventsCassette: any[] = readFixture("github3py/Issue_events.json");
const milestonesCassette: any[] = readFixture("github3py/Repository_milestones.json");

/** DevLake's recorded events of an issue, in the recorded order (newest first), and the issue they embed. */
function devlake(number: number) {
  const events = devlakeRows.filter((r) => r.data.issue.number === number).map((r) => structuredClone(r.data));
  return { issue: events[0].issue, events };
}

/** github3.py's repository events of #761/#762 (newest first), with the issue they embed. */
function github3py(number: number) {
  const events = structuredClone(github3pyEvents.filter((e) => e.issue.number === number));
  return { issue: events[0].issue, events };
}

const config = (repo: string, overrides: Partial<GitHubMapConfig> = {}): GitHubMapConfig => ({
  repo,
  inProgress: { label: null, assignment: true },
  blockerLabels: ["blocked"],
  ...overrides,
});

function mapped(record: MappedRecord) {
  if (!record.ok) throw new Error(`expected a work item, got: ${record.reason}`);
  return record;
}

const steps = (record: MappedRecord) => mapped(record).item.transitions.map((t) => [t.at, t.statusId]);

describe("mapGitHubIssue on recorded payloads", () => {
  it("panjf2000/ants#226: assigned a second after it was opened, then closed as not planned", () => {
    const result = mapped(mapGitHubIssue(devlake(226), config("ants")));
    expect(result.item.transitions).toEqual([
      { at: "2022-05-21T16:39:29Z", statusId: "open", name: "Open" },
      { at: "2022-05-21T16:39:30Z", statusId: "in_progress", name: "In progress" },
      { at: "2022-05-22T10:46:11Z", statusId: "not_planned", name: "Closed as not planned" },
    ]);
    expect(result.item).toMatchObject({ key: "ants-226", type: "issue", created_at: "2022-05-21T16:39:29Z", url: "https://github.com/panjf2000/ants/issues/226", milestone: null, blocks: [] });
    expect(result.milestones).toEqual([]);
    expect(result.cleaned).toEqual([]);
    // Without assignment as a start signal it goes straight from open to not planned.
    expect(steps(mapGitHubIssue(devlake(226), config("ants", { inProgress: { label: null, assignment: false } })))).toEqual([
      ["2022-05-21T16:39:29Z", "open"],
      ["2022-05-22T10:46:11Z", "not_planned"],
    ]);
  });

  it("panjf2000/ants#212: labelled bug and assigned as it was opened; its closing is not among the recorded events, so the issue's closed_at stands in", () => {
    const result = mapped(mapGitHubIssue(devlake(212), config("ants")));
    expect(steps(result)).toEqual([
      ["2022-02-08T22:16:27Z", "in_progress"],
      ["2022-03-08T08:30:19Z", "closed"],
    ]);
    expect(result.item.type).toBe("bug");
    expect(result.cleaned).toEqual([{ reason: "closing taken from the issue itself (no closed event)", count: 1 }]);

    // The in-progress label instead of assignment: "pending development" was added a day later.
    const byLabel = config("ants", { inProgress: { label: "Pending Development", assignment: false } });
    expect(steps(mapGitHubIssue(devlake(212), byLabel))).toEqual([
      ["2022-02-08T22:16:27Z", "open"],
      ["2022-02-09T15:00:46Z", "in_progress"],
      ["2022-03-08T08:30:19Z", "closed"],
    ]);
  });

  it("panjf2000/ants#220: a blocker label added while in progress stays on after the closing (an open block)", () => {
    const result = mapped(mapGitHubIssue(devlake(220), config("ants", { blockerLabels: ["waiting for response"] })));
    expect(result.item.blocks).toEqual([{ start: "2022-04-24T15:19:07Z", end: null, reason: "waiting for response" }]);
    expect(steps(result)).toEqual([
      ["2022-04-21T01:11:58Z", "in_progress"],
      ["2022-05-07T11:29:32Z", "closed"],
    ]);
  });

  it("panjf2000/ants#157: a blocker label and an assignee with no recorded event count from the issue's creation", () => {
    const result = mapped(mapGitHubIssue(devlake(157), config("ants", { blockerLabels: ["waiting for response"] })));
    expect(result.item.blocks).toEqual([{ start: "2021-05-23T09:07:25Z", end: null, reason: "waiting for response" }]);
    expect(steps(result)).toEqual([
      ["2021-05-23T09:07:25Z", "in_progress"],
      ["2022-05-07T14:45:12Z", "closed"],
    ]);
    expect(result.cleaned).toEqual([{ reason: "label or assignee without an event: counted from creation", count: 2 }]);
  });

  it("panjf2000/ants#228: the closed event DevLake recorded twice counts once", () => {
    const payload = devlake(228);
    expect(payload.events.filter((e) => e.event === "closed").map((e) => e.id)).toEqual([6774117135, 6774117135]);
    expect(steps(mapGitHubIssue(payload, config("ants")))).toEqual([
      ["2022-06-02T08:13:04Z", "in_progress"],
      ["2022-06-09T01:42:11Z", "closed"],
    ]);
  });

  it("sigmavirus24/github3.py#761 and #762: unassigning the only assignee returns to open; with a second assignee left it stays in progress", () => {
    expect(steps(mapGitHubIssue(github3py(761), config("github3.py")))).toEqual([
      ["2018-01-01T22:21:49Z", "in_progress"],
      ["2018-01-04T16:07:41Z", "open"],
      ["2018-01-04T16:07:42Z", "closed"],
    ]);
    const result = mapped(mapGitHubIssue(github3py(762), config("github3.py")));
    expect(steps(result)).toEqual([
      ["2018-01-01T22:22:47Z", "in_progress"],
      ["2018-01-04T16:07:42Z", "closed"],
    ]);
    expect(result.item.key).toBe("github3.py-762");
    expect(result.cleaned).toEqual([]);
  });

  it("betamaxpy/betamax#100: a listed issue without events closes at closed_at, in its closed milestone", () => {
    const issue = structuredClone(betamaxIssues.find((i) => i.number === 100));
    const result = mapped(mapGitHubIssue({ issue, events: [] }, config("betamax")));
    expect(steps(result)).toEqual([
      ["2016-04-05T19:12:45Z", "open"],
      ["2016-04-11T13:47:37Z", "closed"],
    ]);
    expect(result.item.milestone).toBe("betamax-milestone-2");
    expect(result.milestones).toEqual([{ key: "betamax-milestone-2", name: "0.6.0", due_on: null, shipped_at: "2016-04-14T13:44:05Z" }]);
  });

  it("betamaxpy/betamax#40: a label Bug (any case) makes a bug; an open milestone has not shipped", () => {
    const issue = structuredClone(betamaxIssues.find((i) => i.number === 40));
    const result = mapped(mapGitHubIssue({ issue, events: [] }, config("betamax")));
    expect(result.item.type).toBe("bug");
    expect(result.item.title).toBe("Betamax objects share global configuration");
    expect(steps(result)).toEqual([["2014-09-18T11:42:44Z", "open"]]);
    expect(result.milestones).toEqual([{ key: "betamax-milestone-3", name: "1.0.0", due_on: null, shipped_at: null }]);
  });

  it("a recorded milestone's due_on becomes its date (github3.py 1.0.0b1, due 2015-01-06T08:00:00Z)", () => {
    const milestone = milestonesCassette[1].response_body.find((m: any) => m.title === "1.0.0b1");
    expect(milestone.due_on).toBe("2015-01-06T08:00:00Z");
    expect(mapGitHubMilestone("github3.py", milestone)).toEqual({ key: "github3.py-milestone-11", name: "1.0.0b1", due_on: "2015-01-06", shipped_at: null });
    // On an issue (the recorded betamax#40 moved into it) the item names it by key.
    const issue = { ...structuredClone(betamaxIssues.find((i) => i.number === 40)), milestone };
    const result = mapped(mapGitHubIssue({ issue, events: [] }, config("github3.py")));
    expect(result.item.milestone).toBe("github3.py-milestone-11");
    expect(result.milestones[0]?.due_on).toBe("2015-01-06");
  });

  it("octokit/fixtures: a freshly opened issue with no events is open since its creation", () => {
    const issue = paginateIssues().find((i) => i.number === 13);
    const result = mapped(mapGitHubIssue({ issue, events: [] }, config("tmp-scenario")));
    expect(result.item).toEqual({
      key: "tmp-scenario-13",
      title: "Test issue 13",
      type: "issue",
      created_at: "2022-07-19T04:39:16Z",
      url: issue.html_url,
      milestone: null,
      transitions: [{ at: "2022-07-19T04:39:16Z", statusId: "open", name: "Open" }],
      blocks: [],
    });
  });

  it("leaves out pull requests: the recorded github3.py#218 with its own per-issue events, and ants#206", () => {
    const issue = issueEventsCassette[1].response_body;
    const events = issueEventsCassette[2].response_body;
    expect(issueEventsCassette[2].uri).toBe("https://api.github.com/repos/sigmavirus24/github3.py/issues/218/events?per_page=100");
    expect(issue.pull_request).toBeTruthy();
    expect(mapGitHubIssue({ issue, events }, config("github3.py"))).toEqual({ ok: false, reason: "a pull request, not an issue" });
    expect(mapGitHubIssue(devlake(206), config("ants"))).toEqual({ ok: false, reason: "a pull request, not an issue" });
  });

  it("maps into a valid work item of the import format", () => {
    for (const n of [157, 212, 220, 225, 226, 228]) {
      const result = mapped(mapGitHubIssue(devlake(n), config("ants", { blockerLabels: ["waiting for response"] })));
      const item = { ...result.item, transitions: result.item.transitions.map((t) => ({ at: t.at, to: t.name })) };
      expect(WorkItemInput.safeParse(item).success).toBe(true);
    }
  });
});

// Hand-built: an issue and events in GitHub's shapes (the recorded #225 as the base issue).
let nextId = 1000;
const user = (login: string, id: number) => ({ login, id, type: "User", site_admin: false });
const ev = (event: string, created_at: string, extra: Record<string, unknown> = {}) => ({ id: nextId++, node_id: `E_${nextId}`, event, created_at, actor: user("octocat", 1), commit_id: null, commit_url: null, ...extra });
const labeled = (name: string, at: string) => ev("labeled", at, { label: { name, color: "ededed" } });
const unlabeled = (name: string, at: string) => ev("unlabeled", at, { label: { name, color: "ededed" } });
const assigned = (login: string, id: number, at: string) => ev("assigned", at, { assignee: user(login, id), assigner: user("octocat", 1) });
const unassigned = (login: string, id: number, at: string) => ev("unassigned", at, { assignee: user(login, id), assigner: user("octocat", 1) });
const closed = (at: string, state_reason: string | null = null) => ev("closed", at, { state_reason });
const reopened = (at: string) => ev("reopened", at, { state_reason: null });

function issueLike(patch: Record<string, unknown>) {
  const { issue } = devlake(225);
  return { ...issue, labels: [], assignees: [], assignee: null, state: "open", state_reason: null, closed_at: null, created_at: "2024-03-01T09:00:00Z", updated_at: "2024-03-20T09:00:00Z", ...patch };
}

describe("mapGitHubIssue on hand-built event lists", () => {
  const byLabel = config("web", { inProgress: { label: "in progress", assignment: false }, blockerLabels: ["blocked", "Waiting on customer"] });

  it("a reopened issue: back in progress while the label is still on, back to open once it is off", () => {
    const issue = issueLike({ labels: [{ name: "In Progress" }], state: "open", state_reason: "reopened" });
    const events = [
      labeled("In Progress", "2024-03-02T10:00:00Z"),
      closed("2024-03-05T10:00:00Z", "completed"),
      reopened("2024-03-06T10:00:00Z"),
      closed("2024-03-07T10:00:00Z", "completed"),
      unlabeled("In Progress", "2024-03-08T10:00:00Z"),
      labeled("In Progress", "2024-03-08T11:00:00Z"),
      unlabeled("In Progress", "2024-03-09T10:00:00Z"),
      reopened("2024-03-10T10:00:00Z"),
      labeled("in progress", "2024-03-11T10:00:00Z"),
    ];
    expect(steps(mapGitHubIssue({ issue, events }, byLabel))).toEqual([
      ["2024-03-01T09:00:00Z", "open"],
      ["2024-03-02T10:00:00Z", "in_progress"],
      ["2024-03-05T10:00:00Z", "closed"],
      ["2024-03-06T10:00:00Z", "in_progress"],
      ["2024-03-07T10:00:00Z", "closed"],
      // Label changes while closed move no status; the reopening finds the label off.
      ["2024-03-10T10:00:00Z", "open"],
      ["2024-03-11T10:00:00Z", "in_progress"],
    ]);
  });

  it("a blocker label added then removed is a closed block; added again and left on, an open one; other labels are no blocks", () => {
    const issue = issueLike({ labels: [{ name: "waiting on customer" }, { name: "docs" }] });
    const events = [
      labeled("blocked", "2024-03-02T10:00:00Z"),
      labeled("docs", "2024-03-02T11:00:00Z"),
      unlabeled("blocked", "2024-03-04T10:00:00Z"),
      labeled("Waiting on customer", "2024-03-06T10:00:00Z"),
      labeled("blocked", "2024-03-07T10:00:00Z"),
      unlabeled("blocked", "2024-03-07T10:00:00Z"),
    ];
    const result = mapped(mapGitHubIssue({ issue, events }, byLabel));
    expect(result.item.blocks).toEqual([
      { start: "2024-03-02T10:00:00Z", end: "2024-03-04T10:00:00Z", reason: "blocked" },
      { start: "2024-03-06T10:00:00Z", end: null, reason: "Waiting on customer" },
    ]);
    expect(steps(result)).toEqual([["2024-03-01T09:00:00Z", "open"]]);
  });

  it("a blocker label whose first event removes it was on from the creation", () => {
    const issue = issueLike({});
    const result = mapped(mapGitHubIssue({ issue, events: [unlabeled("blocked", "2024-03-03T10:00:00Z")] }, byLabel));
    expect(result.item.blocks).toEqual([{ start: "2024-03-01T09:00:00Z", end: "2024-03-03T10:00:00Z", reason: "blocked" }]);
  });

  it("closed as not planned (and as duplicate) ends in a discarded status; reopened and completed ends done", () => {
    const notPlanned = issueLike({ state: "closed", state_reason: "not_planned", closed_at: "2024-03-04T10:00:00Z" });
    expect(steps(mapGitHubIssue({ issue: notPlanned, events: [assigned("alice", 7, "2024-03-02T10:00:00Z"), closed("2024-03-04T10:00:00Z", "not_planned")] }, config("web")))).toEqual([
      ["2024-03-01T09:00:00Z", "open"],
      ["2024-03-02T10:00:00Z", "in_progress"],
      ["2024-03-04T10:00:00Z", "not_planned"],
    ]);
    // An older closed event carries no state_reason: the issue's own reason is that of its last closing.
    expect(steps(mapGitHubIssue({ issue: notPlanned, events: [closed("2024-03-04T10:00:00Z")] }, config("web"))).at(-1)).toEqual(["2024-03-04T10:00:00Z", "not_planned"]);
    const duplicate = issueLike({ state: "closed", state_reason: "duplicate", closed_at: "2024-03-04T10:00:00Z" });
    expect(steps(mapGitHubIssue({ issue: duplicate, events: [closed("2024-03-04T10:00:00Z", "duplicate")] }, config("web"))).at(-1)).toEqual(["2024-03-04T10:00:00Z", "duplicate"]);

    const completed = issueLike({ state: "closed", state_reason: "completed", closed_at: "2024-03-09T10:00:00Z" });
    const events = [closed("2024-03-04T10:00:00Z", "not_planned"), reopened("2024-03-05T10:00:00Z"), closed("2024-03-09T10:00:00Z", "completed")];
    expect(steps(mapGitHubIssue({ issue: completed, events }, config("web")))).toEqual([
      ["2024-03-01T09:00:00Z", "open"],
      ["2024-03-04T10:00:00Z", "not_planned"],
      ["2024-03-05T10:00:00Z", "open"],
      ["2024-03-09T10:00:00Z", "closed"],
    ]);
    const discarded = GITHUB_STATUSES.filter((s) => s.discarded).map((s) => s.id);
    expect(discarded).toEqual(["not_planned", "duplicate"]);
    expect([closedStatus("completed"), closedStatus(null), closedStatus("not_planned"), closedStatus("duplicate")]).toEqual(["closed", "closed", "not_planned", "duplicate"]);
  });

  it("an in-progress label counts case-insensitively; assignment counts only when configured, and only while someone is assigned", () => {
    const issue = issueLike({ labels: [{ name: "IN PROGRESS" }], assignees: [user("bob", 8)] });
    const events = [
      assigned("alice", 7, "2024-03-02T10:00:00Z"),
      assigned("bob", 8, "2024-03-03T10:00:00Z"),
      unassigned("alice", 7, "2024-03-04T10:00:00Z"),
      labeled("IN PROGRESS", "2024-03-06T10:00:00Z"),
    ];
    expect(steps(mapGitHubIssue({ issue, events }, byLabel))).toEqual([
      ["2024-03-01T09:00:00Z", "open"],
      ["2024-03-06T10:00:00Z", "in_progress"],
    ]);
    const both = config("web", { inProgress: { label: "in progress", assignment: true } });
    expect(steps(mapGitHubIssue({ issue, events }, both))).toEqual([
      ["2024-03-01T09:00:00Z", "open"],
      ["2024-03-02T10:00:00Z", "in_progress"],
    ]);
    const neither = config("web", { inProgress: { label: null, assignment: false } });
    expect(steps(mapGitHubIssue({ issue, events }, neither))).toEqual([["2024-03-01T09:00:00Z", "open"]]);
  });

  it("a pull request is never a work item, whatever its events", () => {
    const pr = issueLike({ pull_request: { url: "https://api.github.com/repos/o/web/pulls/9", html_url: "https://github.com/o/web/pull/9", merged_at: null } });
    expect(mapGitHubIssue({ issue: pr, events: [labeled("in progress", "2024-03-02T10:00:00Z")] }, byLabel)).toEqual({ ok: false, reason: "a pull request, not an issue" });
  });

  it("sorts events by time (then id), and lets changes of one instant leave only the last status", () => {
    const issue = issueLike({ state: "closed", state_reason: "completed", closed_at: "2024-03-05T10:00:00Z" });
    const a = labeled("in progress", "2024-03-02T10:00:00Z");
    const b = closed("2024-03-02T10:00:00Z", "completed");
    const c = reopened("2024-03-03T10:00:00Z");
    const d = closed("2024-03-05T10:00:00Z", "completed");
    expect(sortEvents([d, b, c, a]).map((e) => e.id)).toEqual([a.id, b.id, c.id, d.id]);
    expect(steps(mapGitHubIssue({ issue, events: [d, c, b, a] }, byLabel))).toEqual([
      ["2024-03-01T09:00:00Z", "open"],
      ["2024-03-02T10:00:00Z", "closed"],
      ["2024-03-03T10:00:00Z", "in_progress"],
      ["2024-03-05T10:00:00Z", "closed"],
    ]);
  });

  it("uses GitHub's issue type when the organisation sets one", () => {
    const issue = issueLike({ labels: [{ name: "bug" }], type: { id: 1, node_id: "IT_1", name: "Feature", description: null, color: "blue" } });
    expect(mapped(mapGitHubIssue({ issue, events: [] }, config("web"))).item.type).toBe("feature");
    expect(mapped(mapGitHubIssue({ issue: { ...issue, type: null }, events: [] }, config("web"))).item.type).toBe("bug");
  });

  it("strips NUL characters from the title and milestone name and counts them; keeps only http(s) links", () => {
    const { milestone } = { milestone: milestonesCassette[1].response_body.find((m: any) => m.number === 11) };
    const issue = issueLike({ title: "Crash\u0000 on\u0000 start", html_url: "javascript:alert(1)", milestone: { ...milestone, title: "1.0\u0000.0b1" } });
    const result = mapped(mapGitHubIssue({ issue, events: [] }, config("web")));
    expect(result.item.title).toBe("Crash on start");
    expect(result.item.url).toBeNull();
    expect(result.milestones[0]?.name).toBe("1.0.0b1");
    expect(result.cleaned).toEqual([
      { reason: "NUL removed from the title", count: 2 },
      { reason: "NUL removed from a milestone name", count: 1 },
    ]);
  });

  it("says why a payload is not an issue, naming the field", () => {
    const issue = issueLike({});
    delete (issue as any).created_at;
    expect(mapGitHubIssue({ issue, events: [] }, config("web"))).toEqual({ ok: false, reason: expect.stringMatching(/^not a GitHub issue as expected: issue\.created_at: /) });
    expect(mapGitHubIssue({ issue: issueLike({}), events: [{ id: 1, event: "closed", created_at: "yesterday" }] }, config("web"))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^not a GitHub issue as expected: events\[0\]\.created_at: /),
    });
  });

  it("offers fixed statuses whose names and categories make a valid workflow", () => {
    expect(GITHUB_STATUSES.map((s) => [s.id, s.suggested])).toEqual([
      ["open", "todo"],
      ["in_progress", "in_progress"],
      ["closed", "done"],
      ["not_planned", "done"],
      ["duplicate", "done"],
    ]);
    const workflow = GITHUB_STATUSES.map((s) => ({ status: s.name, category: s.suggested, discarded: s.discarded ?? false }));
    expect(HistoryHeaderInput.safeParse({ version: 1, team: { key: "web" }, workflow }).success).toBe(true);
  });
});
