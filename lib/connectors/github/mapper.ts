// A GitHub issue with its issue events → a work item. Pure: no I/O, no clock.
//
// GitHub has no workflow statuses, only open/closed and a close reason, so the connector offers
// fixed ones (GITHUB_STATUSES) and derives them from the events: an open issue is "in progress"
// while the configured label is on it or (if assignment counts) while it has an assignee. With a
// project configured, an open issue's status is instead its option in the project's field.
import { detailsFromZod } from "../../errors";
import { stripNul, type MappedRecord, type StatusCategory, type TrackerStatus } from "../tracker";
import { GitHubIssuePayload, type GitHubEvent, type GitHubIssue, type GitHubMapConfig, type GitHubMilestone, type GitHubProjectConfig, type GitHubProjectEvent, type GitHubProjectRef } from "./api-types";

type Item = Extract<MappedRecord, { ok: true }>["item"];
type Milestone = Extract<MappedRecord, { ok: true }>["milestones"][number];

export type GitHubStatusId = "open" | "in_progress" | "closed" | "not_planned" | "duplicate";

/** The statuses every GitHub source offers, by fixed id (the names are what the workflow shows). */
export const GITHUB_STATUSES: readonly (TrackerStatus & { id: GitHubStatusId; suggested: StatusCategory })[] = [
  { id: "open", name: "Open", suggested: "todo" },
  { id: "in_progress", name: "In progress", suggested: "in_progress" },
  { id: "closed", name: "Closed", suggested: "done" },
  { id: "not_planned", name: "Closed as not planned", suggested: "done", discarded: true },
  { id: "duplicate", name: "Closed as duplicate", suggested: "done", discarded: true },
];

const NAME = Object.fromEntries(GITHUB_STATUSES.map((s) => [s.id, s.name])) as Record<GitHubStatusId, string>;

/** With a project, an open issue without a value in the field is "No status", as GitHub's boards say. */
export const NO_STATUS = "No status";

/**
 * A project option's status id. Events record option names, not ids, so the name is the id; the
 * prefix keeps an option called "closed" apart from the fixed status.
 */
export function projectStatusId(option: string): string {
  return `${PROJECT_PREFIX}${option}`;
}
const PROJECT_PREFIX = "project:";

// The tracker's suggestion for an option, by its name (GitHub's templates write "🏗 In progress").
const SUGGESTED: Record<string, StatusCategory> = {
  todo: "todo",
  "to do": "todo",
  backlog: "todo",
  new: "todo",
  ready: "todo",
  "in progress": "in_progress",
  doing: "in_progress",
  "in review": "in_progress",
  review: "in_progress",
  done: "done",
  complete: "done",
  completed: "done",
};

/** The category an option's name suggests, or null (the engine then proposes in_progress and says so). */
export function suggestedProjectCategory(option: string): StatusCategory | null {
  const words = option.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return SUGGESTED[words] ?? null;
}

/** A project source's statuses: no status (todo), the field's options in their order, then GitHub's closings. */
export function projectStatuses(options: readonly { name: string }[]): TrackerStatus[] {
  const seen = new Set<string>();
  const listed: TrackerStatus[] = [];
  for (const o of options) {
    const name = stripNul(o.name).text;
    if (seen.has(name)) continue;
    seen.add(name);
    listed.push({ id: projectStatusId(name), name, suggested: suggestedProjectCategory(name) });
  }
  return [{ id: "open", name: NO_STATUS, suggested: "todo" }, ...listed, ...GITHUB_STATUSES.filter((s) => s.id !== "open" && s.id !== "in_progress").map((s) => ({ ...s }))];
}

/** Whether an event's or item's project is the configured one (GitHub matches logins case-insensitively). */
function isProject(ref: GitHubProjectRef | null | undefined, project: GitHubProjectConfig): boolean {
  return !!ref && ref.number === project.number && (ref.owner?.login ?? "").toLowerCase() === project.owner.toLowerCase();
}

/** A close reason (of an event or the issue) → the status it closes to; none or "completed" is plain closed. */
export function closedStatus(reason: string | null | undefined): GitHubStatusId {
  if (reason === "not_planned") return "not_planned";
  if (reason === "duplicate") return "duplicate";
  return "closed";
}

/** The item key: `${repo}-${number}` (unique across the repositories of a team, unlike `#12`). */
export function gitHubItemKey(repo: string, number: number): string {
  return `${repo}-${number}`;
}

/** The milestone key: `${repo}-milestone-${number}` (a number survives a rename; the title does not). */
export function gitHubMilestoneKey(repo: string, number: number): string {
  return `${repo}-milestone-${number}`;
}

/** A milestone: due on the date part of `due_on`; shipped when closed, at `closed_at`. */
export function mapGitHubMilestone(repo: string, milestone: GitHubMilestone): Milestone {
  const key = gitHubMilestoneKey(repo, milestone.number);
  const due = milestone.due_on ? milestone.due_on.slice(0, 10) : null;
  return {
    key,
    name: stripNul(milestone.title).text || key,
    due_on: due && /^\d{4}-\d{2}-\d{2}$/.test(due) ? due : null,
    shipped_at: milestone.state === "closed" && milestone.closed_at ? milestone.closed_at : null,
  };
}

/** Events oldest first; events of the same instant in id order (GitHub's ids grow with time); a repeated id once. */
export function sortEvents(events: readonly GitHubEvent[]): GitHubEvent[] {
  const byId = new Map<number, GitHubEvent>();
  for (const e of events) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
}

// GitHub treats label names case-insensitively ("Bug" and "bug" cannot both exist in a repository).
const labelKey = (name: string) => name.toLowerCase();
const labelName = (label: string | { name: string }) => (typeof label === "string" ? label : label.name);
const userKey = (user: { login: string; id?: number | null }) => (user.id != null ? `id:${user.id}` : `login:${user.login.toLowerCase()}`);

/**
 * What was on the issue when it was created: what an event later removes before any event adds
 * it, and what is on it now that no event mentions (set before events were recorded).
 */
function atCreation<T>(current: readonly T[], events: readonly GitHubEvent[], keyOf: (e: GitHubEvent) => string | null, adds: string, removes: string, currentKey: (t: T) => string) {
  const first = new Map<string, string>();
  for (const e of events) {
    const key = keyOf(e);
    if (key !== null && (e.event === adds || e.event === removes) && !first.has(key)) first.set(key, e.event);
  }
  const start = new Set<string>();
  for (const [key, event] of first) if (event === removes) start.add(key);
  const unrecorded = new Set<string>();
  for (const t of current) {
    const key = currentKey(t);
    if (!first.has(key)) {
      start.add(key);
      unrecorded.add(key);
    }
  }
  return { start, unrecorded };
}

export function mapGitHubIssue(payload: unknown, config: GitHubMapConfig): MappedRecord {
  const parsed = GitHubIssuePayload.safeParse(payload);
  if (!parsed.success) {
    const first = detailsFromZod(parsed.error)[0];
    return { ok: false, reason: `not a GitHub issue as expected: ${first ? `${first.where}: ${first.message}` : "invalid"}` };
  }
  const { issue } = parsed.data;
  if (issue.pull_request != null) return { ok: false, reason: "a pull request, not an issue" };

  const cleaned = new Map<string, number>();
  const count = (reason: string, n = 1) => cleaned.set(reason, (cleaned.get(reason) ?? 0) + n);
  const clean = (text: string, reason: string) => {
    const result = stripNul(text);
    if (result.removed > 0) count(reason, result.removed);
    return result.text;
  };

  const createdAt = issue.created_at;
  const createdMs = Date.parse(createdAt);
  const events = sortEvents(parsed.data.events);
  const project = config.project ?? null;
  // With a project its field decides; labels and assignees then move no status.
  const progressLabel = !project && config.inProgress.label ? labelKey(config.inProgress.label) : null;
  const byAssignment = !project && config.inProgress.assignment;
  const blockers = new Set(config.blockerLabels.map(labelKey));
  const currentLabels = (issue.labels ?? []).map(labelName);
  const currentAssignees = issue.assignees ?? (issue.assignee ? [issue.assignee] : []);

  const labelOf = (e: GitHubEvent) => (e.label ? labelKey(e.label.name) : null);
  const assigneeOf = (e: GitHubEvent) => (e.assignee ? userKey(e.assignee) : null);
  const initialLabels = atCreation(currentLabels, events, labelOf, "labeled", "unlabeled", labelKey);
  const initialAssignees = atCreation(currentAssignees, events, assigneeOf, "assigned", "unassigned", userKey);
  const labels = new Set(initialLabels.start);
  const assignees = new Set(initialAssignees.start);
  const relevant = (key: string) => key === progressLabel || blockers.has(key);
  const unrecorded = [...initialLabels.unrecorded].filter(relevant).length + (byAssignment ? initialAssignees.unrecorded.size : 0);
  if (unrecorded > 0) count("label or assignee without an event: counted from creation", unrecorded);

  // The project's events, oldest first; the field's value before the first change is that change's previous value.
  const projectEvents = project ? projectHistory(parsed.data.project?.timeline ?? [], project) : [];
  let option: string | null = projectEvents.find((e) => e.kind === "status")?.from ?? null;

  const inProgress = () => (progressLabel !== null && labels.has(progressLabel)) || (byAssignment && assignees.size > 0);
  const openStatus = (): string => (project ? (option !== null ? projectStatusId(option) : "open") : inProgress() ? "in_progress" : "open");
  const nameOf = (statusId: string) => (statusId.startsWith(PROJECT_PREFIX) ? statusId.slice(PROJECT_PREFIX.length) : project && statusId === "open" ? NO_STATUS : NAME[statusId as GitHubStatusId]);

  const transitions: Item["transitions"] = [];
  // Changes of one instant leave only their last status: no zero-length stays.
  const enter = (at: string, statusId: string) => {
    let last = transitions.at(-1);
    if (last?.statusId === statusId) return;
    if (last && Date.parse(last.at) === Date.parse(at)) {
      transitions.pop();
      last = transitions.at(-1);
      if (last?.statusId === statusId) return;
    }
    transitions.push({ at, statusId, name: nameOf(statusId) });
  };

  const blocks: Item["blocks"] = [];
  const openBlocks = new Map<string, Item["blocks"][number]>();
  const startBlock = (key: string, at: string, reason: string) => {
    if (!blockers.has(key) || openBlocks.has(key)) return;
    const block = { start: at, end: null, reason: clean(reason, "NUL removed from a block reason") };
    openBlocks.set(key, block);
    blocks.push(block);
  };
  const endBlock = (key: string, at: string) => {
    const block = openBlocks.get(key);
    if (!block) return;
    block.end = at;
    openBlocks.delete(key);
  };
  for (const key of labels) startBlock(key, createdAt, currentLabels.find((l) => labelKey(l) === key) ?? events.find((e) => labelOf(e) === key)?.label?.name ?? key);

  // The last closing takes the issue's own close reason when its event carries none (older events).
  const lastClose = events.findLast((e) => e.event === "closed");
  let closed: GitHubStatusId | null = null;
  enter(createdAt, openStatus());
  // Issue events and project events in one time line; at one instant the issue's own come first.
  const steps = [...events.map((e) => ({ at: e.created_at, issue: e, project: null })), ...projectEvents.map((p) => ({ at: p.at, issue: null, project: p }))].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.issue ? 0 : 1) - (b.issue ? 0 : 1),
  );
  for (const step of steps) {
    let at = step.at;
    if (Date.parse(at) < createdMs) {
      count("event before the issue's creation: moved to its creation");
      at = createdAt;
    }
    if (step.project) {
      // While closed, a field change moves no status; a reopening goes back to the field's value.
      option = step.project.kind === "status" ? step.project.to : null;
      enter(at, closed ?? openStatus());
      continue;
    }
    const e = step.issue!;
    const label = labelOf(e);
    const assignee = assigneeOf(e);
    switch (e.event) {
      case "labeled":
        if (label === null) continue;
        labels.add(label);
        startBlock(label, at, e.label!.name);
        break;
      case "unlabeled":
        if (label === null) continue;
        labels.delete(label);
        endBlock(label, at);
        break;
      case "assigned":
        if (assignee === null) continue;
        assignees.add(assignee);
        break;
      case "unassigned":
        if (assignee === null) continue;
        assignees.delete(assignee);
        break;
      case "closed":
        closed = closedStatus(e.state_reason ?? (e === lastClose && issue.state === "closed" ? issue.state_reason : null));
        break;
      case "reopened":
        closed = null;
        break;
      default:
        continue;
    }
    enter(at, closed ?? openStatus());
  }

  // The issue's own state wins over events that are missing (a partial event list).
  const lastAt = transitions.at(-1)!.at;
  const notBefore = (at: string) => (Date.parse(at) < Date.parse(lastAt) ? lastAt : at);
  if (issue.state === "closed" && closed === null) {
    count("closing taken from the issue itself (no closed event)");
    enter(notBefore(issue.closed_at ?? issue.updated_at), closedStatus(issue.state_reason));
  } else if (issue.state === "open" && closed !== null) {
    closed = null;
    count("reopening taken from the issue itself (no reopened event)");
    enter(notBefore(issue.updated_at), openStatus());
  }
  // The field's value now wins over events that are missing (GitHub records changes of the
  // project's Status field; another field has only its value now, since its last update).
  const item = project ? (parsed.data.project?.items ?? []).find((i) => i && isProject(i.project, project)) : undefined;
  if (project && item && closed === null) {
    const value = item.fieldValue?.__typename === "ProjectV2ItemFieldSingleSelectValue" && sameField(item.fieldValue.field?.name, project.field) ? (item.fieldValue.name ?? null) : null;
    const valueNow = value === null ? null : stripNul(value).text;
    if (valueNow !== option && (item.fieldValue == null || valueNow !== null)) {
      count("project field value taken from the item itself (no event for it)");
      option = valueNow;
      enter(notBefore(item.fieldValue?.updatedAt ?? issue.updated_at), openStatus());
    }
  }

  const title = clean(issue.title, "NUL removed from the title");
  const milestones = issue.milestone ? [mapGitHubMilestone(config.repo, issue.milestone)] : [];
  const milestoneName = issue.milestone ? stripNul(issue.milestone.title) : null;
  if (milestoneName && milestoneName.removed > 0) count("NUL removed from a milestone name", milestoneName.removed);

  return {
    ok: true,
    item: {
      key: gitHubItemKey(config.repo, issue.number),
      title,
      type: issueType(issue, currentLabels),
      created_at: createdAt,
      url: httpUrl(issue.html_url),
      milestone: milestones[0]?.key ?? null,
      transitions,
      blocks: blocks.filter((b) => b.end === null || Date.parse(b.end) > Date.parse(b.start)),
    },
    milestones,
    cleaned: [...cleaned].map(([reason, n]) => ({ reason, count: n })),
  };
}

type ProjectStep = { at: string; kind: "status"; from: string | null; to: string | null } | { at: string; kind: "removed" };

/** The configured project's status changes and removals, oldest first (a repeated id once); "" is no status. */
function projectHistory(timeline: readonly (GitHubProjectEvent | null)[], project: GitHubProjectConfig): ProjectStep[] {
  const seen = new Set<string>();
  const steps: ProjectStep[] = [];
  const value = (v: string | null | undefined) => (v ? stripNul(v).text || null : null);
  for (const e of timeline) {
    if (!e || !e.createdAt || !isProject(e.project, project)) continue;
    if (e.id) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
    }
    if (e.__typename === "ProjectV2ItemStatusChangedEvent") steps.push({ at: e.createdAt, kind: "status", from: value(e.previousStatus), to: value(e.status) });
    else if (e.__typename === "RemovedFromProjectV2Event") steps.push({ at: e.createdAt, kind: "removed" });
  }
  return steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Field names as GitHub matches them in fieldValueByName (case-insensitively). */
function sameField(a: string | null | undefined, b: string): boolean {
  return (a ?? "").toLowerCase() === b.toLowerCase();
}

/** GitHub's issue type when the organisation sets one; else "bug" for a label named bug; else "issue". */
function issueType(issue: GitHubIssue, labels: readonly string[]): string {
  const type = issue.type ? stripNul(issue.type.name).text.trim().toLowerCase() : "";
  if (type) return type;
  return labels.some((l) => labelKey(l) === "bug") ? "bug" : "issue";
}

function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}
