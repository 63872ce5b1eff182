// A fetched Linear issue → one work item with its transitions, blocks and milestone. Pure: the
// payload and the connector's configuration in, the mapped record out; no clock, no I/O.
import { formatPath } from "../../errors";
import { isValidTimeZone, localDate } from "../../time/calendar";
import { stripNul, type MappedRecord, type StatusCategory, type TrackerStatus } from "../tracker";
import { LinearIssue, type LinearConfig, type LinearWorkflowState } from "./api-types";

export type LinearMapperConfig = Pick<LinearConfig, "milestones">;

type Item = Extract<MappedRecord, { ok: true }>["item"];
type Milestone = Extract<MappedRecord, { ok: true }>["milestones"][number];

/** The item type when an issue has no label (Linear has no issue types of its own). */
export const DEFAULT_TYPE = "issue";

const CATEGORIES: Record<string, StatusCategory> = {
  triage: "todo",
  backlog: "todo",
  unstarted: "todo",
  started: "in_progress",
  completed: "done",
  canceled: "done",
};

/** A workflow state as the engine lists it: Linear's state type says the category. */
export function toTrackerStatus(state: LinearWorkflowState): TrackerStatus {
  return {
    id: state.id,
    name: stripNul(state.name).text,
    suggested: CATEGORIES[state.type] ?? null,
    ...(state.type === "canceled" ? { discarded: true } : {}),
  };
}

class Cleaner {
  private counts = new Map<string, number>();

  text(value: string, what: string): string {
    const { text, removed } = stripNul(value);
    if (removed) this.count(`NUL characters removed from ${what}`, removed);
    return text;
  }

  count(reason: string, n = 1) {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  list() {
    return [...this.counts].map(([reason, count]) => ({ reason, count }));
  }
}

const ms = (instant: string) => Date.parse(instant);

export function mapLinearIssue(payload: unknown, config: LinearMapperConfig): MappedRecord {
  const parsed = LinearIssue.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: `not a Linear issue as fetched: ${first ? `${formatPath(first.path)}: ${first.message}` : "invalid"}` };
  }
  const issue = parsed.data;
  const clean = new Cleaner();

  const milestone = config.milestones === "cycle" ? cycleMilestone(issue, clean) : projectMilestone(issue, clean);
  const label = issue.labels.nodes[0];
  const item: Item = {
    key: issue.identifier,
    title: clean.text(issue.title, "titles"),
    type: (label && clean.text(label.name, "label names")) || DEFAULT_TYPE,
    created_at: issue.createdAt,
    url: /^https?:\/\//i.test(issue.url) ? issue.url : null,
    milestone: milestone?.key ?? null,
    transitions: transitions(issue, clean),
    blocks: blocks(issue, clean),
  };
  return { ok: true, item, milestones: milestone ? [milestone] : [], cleaned: clean.list() };
}

/**
 * The state at creation is the first change's `fromState` (the current state when nothing ever
 * changed); then each change with a `toState`, oldest first. Linear lists history newest first,
 * and mixes in other edits (title, assignee…), which carry no state.
 */
function transitions(issue: LinearIssue, clean: Cleaner): Item["transitions"] {
  const changes = issue.history.nodes
    .flatMap((entry) => (entry.toState ? [{ at: entry.createdAt, from: entry.fromState ?? null, to: entry.toState }] : []))
    .sort((a, b) => ms(a.at) - ms(b.at));
  const initial = changes[0] ? (changes[0].from ?? changes[0].to) : issue.state;
  const out: Item["transitions"] = [{ at: issue.createdAt, statusId: initial.id, name: clean.text(initial.name, "status names") }];
  for (const change of changes) {
    if (change.to.id === out[out.length - 1]!.statusId) continue;
    out.push({ at: change.at, statusId: change.to.id, name: clean.text(change.to.name, "status names") });
  }
  return out;
}

/**
 * "Blocked by X" is a relation of type "blocks" on X, so it is an inverse relation here. The block
 * starts when the relation was made and ends when X is completed or canceled, or when this issue
 * itself is (a relation outlives the work; Linear keeps no record of one being removed).
 */
function blocks(issue: LinearIssue, clean: Cleaner): Item["blocks"] {
  const ownEnd = earliest(issue.completedAt, issue.canceledAt);
  const out: Item["blocks"] = [];
  for (const relation of issue.inverseRelations.nodes) {
    if (relation.type !== "blocks") continue;
    const end = earliest(relation.issue.completedAt, relation.issue.canceledAt, ownEnd);
    if (end !== null && ms(end) < ms(relation.createdAt)) {
      clean.count("blocked-by relations made after either issue was finished, not counted as blocks");
      continue;
    }
    out.push({ start: relation.createdAt, end, reason: `blocked by ${relation.issue.identifier}` });
  }
  return out.sort((a, b) => ms(a.start) - ms(b.start));
}

function earliest(...instants: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const i of instants) if (i && (best === null || ms(i) < ms(best))) best = i;
  return best;
}

function projectMilestone(issue: LinearIssue, clean: Cleaner): Milestone | null {
  const p = issue.project;
  if (!p) return null;
  return { key: p.id, name: clean.text(p.name, "milestone names"), due_on: p.targetDate ?? null, shipped_at: p.completedAt ?? null };
}

/** A cycle is due on its last day: the date, in the Linear team's timezone, just before it ends. */
function cycleMilestone(issue: LinearIssue, clean: Cleaner): Milestone | null {
  const c = issue.cycle;
  if (!c) return null;
  const zone = issue.team.timezone && isValidTimeZone(issue.team.timezone) ? issue.team.timezone : "UTC";
  const name = c.name ? clean.text(c.name, "milestone names") : "";
  return {
    key: c.id,
    name: name || `Cycle ${c.number}`,
    due_on: localDate(new Date(ms(c.endsAt) - 1), zone),
    shipped_at: c.completedAt ?? null,
  };
}
