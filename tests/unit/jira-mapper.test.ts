// The Jira mapper on recorded payloads (tests/fixtures/jira/SOURCE.md) and on focused variations of them.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toIsoInstant } from "../../lib/connectors/jira/api-types";
import { DEFAULT_FLAGGED_FIELD, type JiraMapConfig } from "../../lib/connectors/jira/config";
import { mapFixVersion, mapJiraIssue, mapJiraStatuses, sortHistories, suggestedCategory } from "../../lib/connectors/jira/mapper";
import type { MappedRecord } from "../../lib/connectors/tracker";
import { InstantInput } from "../../lib/metrics/params";

const dir = path.join(__dirname, "../fixtures/jira");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
/* eslint-disable @typescript-eslint/no-explicit-any */
const devlake = (key: string): any => structuredClone(read("devlake/_raw_jira_api_issues.subset.json").find((r: any) => r.data.key === key).data);
const jirametrics = (file: string): any => structuredClone(read(`jirametrics/${file}`));
const devlakeStatuses = read("devlake/_raw_jira_api_status.json").map((r: any) => r.data);

const merico: JiraMapConfig = { siteUrl: "https://merico.atlassian.net/", milestones: "fixVersion" };
const improvingflow: JiraMapConfig = { siteUrl: "https://improvingflow.atlassian.net", milestones: "fixVersion" };

function mapped(record: MappedRecord) {
  if (!record.ok) throw new Error(`expected a work item, got: ${record.reason}`);
  return record;
}

/** A changelog entry as Jira writes it. */
function history(id: string, created: string, items: Record<string, string | null>[]) {
  return { id, created, items: items.map((i) => ({ fieldtype: "jira", from: null, fromString: null, to: null, toString: null, ...i })) };
}

describe("mapJiraIssue on DevLake's recorded EE-1 (merico.atlassian.net)", () => {
  const issue = devlake("EE-1");
  const result = mapped(mapJiraIssue(issue, merico));

  it("follows the status changes of its changelog, by hand: Inbox → Ready for Dev → In Development → Open → Closed → 已完成", () => {
    // From the recorded changelog (histories 10900, 10911, 11066, 12025, 86412), at their recorded offsets.
    expect(result.item.transitions).toEqual([
      { at: "2020-06-12T08:13:13.360+08:00", statusId: "10020", name: "Inbox" },
      { at: "2020-06-12T09:45:24.493+08:00", statusId: "10029", name: "Ready for Dev" },
      { at: "2020-06-12T11:38:39.785+08:00", statusId: "3", name: "In Development" },
      { at: "2020-06-12T14:22:49.352+08:00", statusId: "1", name: "Open" },
      { at: "2020-06-19T14:31:18.526+08:00", statusId: "6", name: "Closed" },
      { at: "2021-03-28T16:06:08.715+08:00", statusId: "10068", name: "已完成" },
    ]);
    const statusItems = issue.changelog.histories.flatMap((h: any) => h.items).filter((i: any) => i.field === "status");
    expect(result.item.transitions).toHaveLength(statusItems.length + 1);
  });

  it("maps key, title, type, creation, link and fix version", () => {
    expect(result.item).toMatchObject({
      key: "EE-1",
      title: issue.fields.summary,
      type: "故事",
      created_at: "2020-06-12T08:13:13.360+08:00",
      url: "https://merico.atlassian.net/browse/EE-1",
      milestone: "version-10026",
      blocks: [],
    });
    expect(result.milestones).toEqual([{ key: "version-10026", name: "v2.7.0", due_on: "2020-07-10", shipped_at: "2020-07-10T12:00:00Z" }]);
    expect(result.cleaned).toEqual([]);
  });

  it("keeps a renamed status by its id: the changelog says 3 In Development, the status list now says In Progress", () => {
    const statuses = mapJiraStatuses(devlakeStatuses);
    expect(statuses.find((s) => s.id === "3")).toEqual({ id: "3", name: "In Progress", suggested: "in_progress" });
    expect(result.item.transitions.filter((t) => t.statusId === "3").map((t) => t.name)).toEqual(["In Development"]);
  });

  it("keeps transitions to statuses deleted from the status list, with the changelog's names", () => {
    const listed = new Set(mapJiraStatuses(devlakeStatuses).map((s) => s.id));
    const absent = result.item.transitions.filter((t) => !listed.has(t.statusId));
    expect(absent).toEqual([
      { at: "2020-06-12T08:13:13.360+08:00", statusId: "10020", name: "Inbox" },
      { at: "2020-06-12T09:45:24.493+08:00", statusId: "10029", name: "Ready for Dev" },
    ]);
  });

  it("lets the status list's category win over the issue's embedded copy", () => {
    expect(issue.fields.status.statusCategory.key).toBe("new");
    expect(mapJiraStatuses(devlakeStatuses).find((s) => s.id === issue.fields.status.id)?.suggested).toBe("done");
  });

  it("keeps the history of a bulk workflow migration as it is (Workflow entries are no transitions)", () => {
    const migrations = issue.changelog.histories.flatMap((h: any) => h.items).filter((i: any) => i.field === "Workflow");
    expect(migrations.length).toBeGreaterThan(0);
    expect(result.item.transitions.at(-1)).toEqual({ at: "2021-03-28T16:06:08.715+08:00", statusId: "10068", name: "已完成" });
  });
});

describe("mapJiraIssue on other recorded issues", () => {
  it("strips the NUL character from EE-4's title and counts it", () => {
    const issue = devlake("EE-4");
    expect(issue.fields.summary).toContain("\u0000");
    const result = mapped(mapJiraIssue(issue, merico));
    expect(result.item.title).toBe(issue.fields.summary.replace("\u0000", ""));
    expect(result.item.title).not.toContain("\u0000");
    expect(result.cleaned).toEqual([{ reason: "NUL removed from the title", count: 1 }]);
  });

  it("makes an open block of SP-1's Flagged change (Impediment, never cleared)", () => {
    const result = mapped(mapJiraIssue(jirametrics("complete_sample__sample_issues__SP-1.json"), improvingflow));
    expect(result.item.blocks).toEqual([{ start: "2021-08-29T18:04:39.112+00:00", end: null, reason: "Impediment" }]);
    // The embedded changelog is newest first; the transitions are in time order.
    expect(result.item.transitions.map((t) => t.name)).toEqual(["Backlog", "Selected for Development", "In Progress", "Review"]);
  });

  it("makes one closed block of SP-10, flagged then unflagged", () => {
    const result = mapped(mapJiraIssue(jirametrics("testdata__SP-10.json"), improvingflow));
    expect(result.item.blocks).toEqual([{ start: "2021-09-06T04:33:30.647+00:00", end: "2021-09-06T04:33:55.539+00:00", reason: "Impediment" }]);
  });

  it("keeps SP-5 done, reopened and done again", () => {
    const result = mapped(mapJiraIssue(jirametrics("complete_sample__sample_issues__SP-5.json"), improvingflow));
    expect(result.item.transitions.map((t) => t.statusId)).toEqual(["10000", "10001", "3", "10011", "10002", "10001", "3", "10002"]);
  });

  it("names epics as milestones: K5-2's parent K5-1; a sub-task's parent story is none", () => {
    const epics: JiraMapConfig = { ...merico, milestones: "epic" };
    const story = mapped(mapJiraIssue(devlake("K5-2"), epics));
    expect(story.item.milestone).toBe("epic-20707");
    expect(story.milestones).toEqual([{ key: "epic-20707", name: "test epic", due_on: null, shipped_at: null }]);
    const subtask = mapped(mapJiraIssue(devlake("EE-25"), epics));
    expect(subtask.item.milestone).toBeNull();
    expect(subtask.milestones).toEqual([]);
    const epic = mapped(mapJiraIssue(devlake("K5-4"), epics));
    expect(epic.item).toMatchObject({ type: "epic", milestone: null });
  });

  it("writes every instant of every recorded issue as ISO 8601 with an offset the import format accepts", () => {
    const issues = [
      ...read("devlake/_raw_jira_api_issues.subset.json").map((r: any) => r.data),
      ...["complete_sample__sample_issues__SP-1.json", "complete_sample__sample_issues__SP-5.json", "testdata__SP-10.json"].map(jirametrics),
    ];
    for (const issue of issues) {
      const { item } = mapped(mapJiraIssue(issue, merico));
      const instants = [item.created_at, ...item.transitions.map((t) => t.at), ...item.blocks.flatMap((b) => [b.start, b.end ?? b.start])];
      for (const at of instants) expect(InstantInput.safeParse(at).success, `${issue.key}: ${at}`).toBe(true);
      const times = item.transitions.map((t) => Date.parse(t.at));
      expect(times, issue.key).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it("refuses the agile API's docs example (no summary, status or created) with a reason naming the field", () => {
    const agile = read("jira-ruby/sprint_1_issues.json").issues[0];
    const result = mapJiraIssue(agile, merico);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^not a Jira issue as expected: fields\.summary: /);
  });

  it("does not change the payload it maps", () => {
    const issue = devlake("EE-1");
    const before = JSON.stringify(issue);
    mapJiraIssue(issue, merico);
    expect(JSON.stringify(issue)).toBe(before);
  });
});

describe("mapJiraIssue on focused cases", () => {
  it("flagged then unflagged → one closed block, whatever order the changelog lists it in", () => {
    const issue = jirametrics("complete_sample__sample_issues__SP-5.json");
    issue.changelog.histories = [
      history("3", "2021-09-02T10:00:00.000+0000", [{ field: "Flagged", fieldtype: "custom", fieldId: DEFAULT_FLAGGED_FIELD, from: "[10019]", fromString: "Impediment", to: "", toString: "" }]),
      history("1", "2021-09-01T10:00:00.000+0000", [{ field: "Flagged", fieldtype: "custom", fieldId: DEFAULT_FLAGGED_FIELD, to: "[10019]", toString: "Impediment" }]),
      // Flagged again while flagged: still the one block.
      history("2", "2021-09-01T12:00:00.000+0000", [{ field: "Flagged", fieldtype: "custom", fieldId: DEFAULT_FLAGGED_FIELD, to: "[10019]", toString: "Impediment" }]),
    ];
    const result = mapped(mapJiraIssue(issue, improvingflow));
    expect(result.item.blocks).toEqual([{ start: "2021-09-01T10:00:00.000+00:00", end: "2021-09-02T10:00:00.000+00:00", reason: "Impediment" }]);
  });

  it("counts a flag set at creation (no change recorded) from creation: the Flagged field or the agile flag", () => {
    const sp1 = jirametrics("complete_sample__sample_issues__SP-1.json");
    sp1.changelog.histories = sp1.changelog.histories.filter((h: any) => h.items.every((i: any) => i.field !== "Flagged"));
    expect(mapped(mapJiraIssue(sp1, improvingflow)).item.blocks).toEqual([{ start: "2021-06-18T18:41:29.398+00:00", end: null, reason: "Impediment" }]);

    const sp5 = jirametrics("complete_sample__sample_issues__SP-5.json");
    sp5.changelog.histories = sp5.changelog.histories.filter((h: any) => h.items.every((i: any) => i.field !== "Flagged"));
    sp5.fields[DEFAULT_FLAGGED_FIELD] = null;
    expect(mapped(mapJiraIssue(sp5, improvingflow)).item.blocks).toEqual([]);
    sp5.fields.flagged = read("jira-ruby/sprint_1_issues.json").issues[0].fields.flagged;
    expect(mapped(mapJiraIssue(sp5, improvingflow)).item.blocks).toEqual([{ start: sp5.fields.created.replace("+0000", "+00:00"), end: null, reason: "Flagged" }]);
  });

  it("follows a status renamed under the same id: each transition keeps the id and the name it recorded", () => {
    const issue = devlake("K5-2");
    issue.changelog.histories.push(
      history("90001", "2022-07-17T09:00:00.000+0800", [{ field: "status", fieldId: "status", from: "10033", fromString: "To Do", to: "10034", toString: "Done" }]),
      history("90002", "2022-07-18T09:00:00.000+0800", [{ field: "status", fieldId: "status", from: "10034", fromString: "Shipped", to: "10033", toString: "Backlog" }]),
    );
    const result = mapped(mapJiraIssue(issue, merico));
    expect(result.item.transitions).toEqual([
      { at: "2022-07-16T06:29:49.026+08:00", statusId: "10033", name: "To Do" },
      { at: "2022-07-17T09:00:00.000+08:00", statusId: "10034", name: "Done" },
      { at: "2022-07-18T09:00:00.000+08:00", statusId: "10033", name: "Backlog" },
    ]);
  });

  it("keeps a status that is in no status list", () => {
    const issue = devlake("K5-4");
    issue.changelog.histories.push(
      history("90003", "2022-07-20T09:00:00.000+0800", [{ field: "status", fieldId: "status", from: "10033", fromString: "To Do", to: "99999", toString: "Deleted Long Ago" }]),
    );
    const result = mapped(mapJiraIssue(issue, merico));
    expect(result.item.transitions.at(-1)).toEqual({ at: "2022-07-20T09:00:00.000+08:00", statusId: "99999", name: "Deleted Long Ago" });
    expect(mapJiraStatuses(devlakeStatuses).some((s) => s.id === "99999")).toBe(false);
  });

  it("starts at the current status when the status never changed", () => {
    const issue = devlake("K5-4");
    expect(mapped(mapJiraIssue(issue, merico)).item.transitions).toEqual([{ at: "2022-07-16T06:31:15.981+08:00", statusId: "10033", name: "To Do" }]);
  });

  it("strips NUL from the title and the status names, counting each place", () => {
    const issue = devlake("K5-2");
    issue.fields.summary = "\u0000first\u0000 story";
    issue.changelog.histories.push(history("90004", "2022-07-17T09:00:00.000+0800", [{ field: "status", from: "10033", fromString: "To Do", to: "10034", toString: "Do\u0000ne" }]));
    const result = mapped(mapJiraIssue(issue, merico));
    expect(result.item.title).toBe("first story");
    expect(result.item.transitions.at(-1)?.name).toBe("Done");
    expect(result.cleaned).toEqual([
      { reason: "NUL removed from a status name", count: 1 },
      { reason: "NUL removed from the title", count: 2 },
    ]);
  });

  it("writes created in Jira's +0800 offset form as ISO 8601 with a colon offset, keeping the offset", () => {
    const issue = devlake("K5-4");
    issue.fields.created = "2021-01-05T09:00:00.000+0800";
    const { item } = mapped(mapJiraIssue(issue, merico));
    expect(item.created_at).toBe("2021-01-05T09:00:00.000+08:00");
    expect(new Date(item.created_at).toISOString()).toBe("2021-01-05T01:00:00.000Z");
    expect(InstantInput.safeParse("2021-01-05T09:00:00.000+0800").success).toBe(false);
    expect(toIsoInstant("2021-01-05T09:00:00.000-0330")).toBe("2021-01-05T09:00:00.000-03:30");
    expect(toIsoInstant("2021-01-05T09:00:00Z")).toBe("2021-01-05T09:00:00Z");
    expect(toIsoInstant("2021-13-45T09:00:00.000+0800")).toBeNull();
    expect(toIsoInstant("05/Jan/21 9:00 AM")).toBeNull();
  });

  it("refuses an issue whose created is not an instant, naming the field", () => {
    const issue = devlake("K5-4");
    issue.fields.created = "05/Jan/21 9:00 AM";
    const result = mapJiraIssue(issue, merico);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^not a Jira issue as expected: fields\.created: must be an instant/) });
  });

  it("counts an item towards its earliest fix version and lists them all", () => {
    const issue = devlake("EE-1");
    issue.fields.fixVersions = [
      { id: "2", name: "v2", released: false, releaseDate: "2020-09-01" },
      { id: "1", name: "v1.9 backport", released: true, releaseDate: "2020-08-01" },
      { id: "3", name: "someday" },
    ];
    const result = mapped(mapJiraIssue(issue, merico));
    expect(result.item.milestone).toBe("version-1");
    expect(result.milestones).toEqual([
      { key: "version-2", name: "v2", due_on: "2020-09-01", shipped_at: null },
      { key: "version-1", name: "v1.9 backport", due_on: "2020-08-01", shipped_at: "2020-08-01T12:00:00Z" },
      { key: "version-3", name: "someday", due_on: null, shipped_at: null },
    ]);
  });
});

describe("statuses, versions and the Flagged field", () => {
  it("suggests categories from Jira's status category keys", () => {
    expect(mapJiraStatuses(read("jirametrics/complete_sample__sample_statuses.json"))).toEqual([
      { id: "3", name: "In Progress", suggested: "in_progress" },
      { id: "10000", name: "Backlog", suggested: "todo" },
      { id: "10001", name: "Selected for Development", suggested: "in_progress" },
      { id: "10002", name: "Done", suggested: "done" },
      { id: "10011", name: "Review", suggested: "in_progress" },
      { id: "10012", name: "FakeBacklog", suggested: "todo" },
    ]);
    expect(suggestedCategory("undefined")).toBeNull();
    const all = mapJiraStatuses(devlakeStatuses);
    expect(all).toHaveLength(53);
    expect(all.every((s) => s.suggested !== null)).toBe(true);
  });

  it("maps faros' recorded project versions (released, with release dates)", () => {
    expect(read("faros/project_versions.json").map(mapFixVersion)).toEqual([
      { key: "version-10006", name: "Test Release", due_on: "2021-11-19", shipped_at: "2021-11-19T12:00:00Z" },
      { key: "version-10007", name: "Test Overdue Release", due_on: "2021-11-16", shipped_at: "2021-11-16T12:00:00Z" },
      { key: "version-10008", name: "Test Release 3", due_on: "2021-11-18", shipped_at: "2021-11-18T12:00:00Z" },
    ]);
  });

  it("defaults to the Flagged field id both recorded sites use", () => {
    const [field] = read("faros/issue_fields.flagged.json");
    expect(field).toMatchObject({ name: "Flagged", id: DEFAULT_FLAGGED_FIELD });
    const items = jirametrics("testdata__SP-10.json").changelog.histories.flatMap((h: any) => h.items).filter((i: any) => i.field === "Flagged");
    expect(items.map((i: any) => i.fieldId)).toEqual([DEFAULT_FLAGGED_FIELD, DEFAULT_FLAGGED_FIELD]);
  });

  it("sorts histories by instant across offsets, then by id", () => {
    const sorted = sortHistories([
      { id: "1", created: "2021-01-01T09:30:00.000+0000" },
      { id: "10", created: "2021-01-01T10:00:00.000+0200" },
      { id: "9", created: "2021-01-01T08:00:00.000+0000" },
      { id: "11", created: "2021-01-01T09:00:00.000+0100" },
    ]);
    // The last three are the same instant: numeric id order, not text order ("10" < "9").
    expect(sorted.map((h) => h.id)).toEqual(["9", "10", "11", "1"]);
  });
});
