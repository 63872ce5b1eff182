// A Jira issue (with its complete changelog) → a work item; Jira's status list → tracker statuses.
// Pure: no I/O, no clock. Transitions carry the status id, so a renamed status follows its id and a
// status deleted from the list keeps the name the changelog recorded.
import { detailsFromZod } from "../../errors";
import { stripNul, type MappedRecord, type StatusCategory, type TrackerStatus } from "../tracker";
import { JiraIssue, toIsoInstant, type JiraHistory, type JiraStatus, type JiraVersion } from "./api-types";
import { DEFAULT_FLAGGED_FIELD, type JiraMapConfig } from "./config";

type Item = Extract<MappedRecord, { ok: true }>["item"];
type Milestone = Extract<MappedRecord, { ok: true }>["milestones"][number];

const CATEGORIES: Record<string, StatusCategory> = { new: "todo", indeterminate: "in_progress", done: "done" };

/** Jira's status category key → ours (new → todo, indeterminate → in_progress, done → done). */
export function suggestedCategory(key: string | null | undefined): StatusCategory | null {
  return (key && CATEGORIES[key]) || null;
}

/**
 * Jira's status list → tracker statuses, by id. The list's category is the one that counts (an
 * issue's embedded copy of its status can disagree with it). Jira has no "won't do" flag.
 */
export function mapJiraStatuses(statuses: readonly JiraStatus[]): TrackerStatus[] {
  const byId = new Map<string, TrackerStatus>();
  for (const s of statuses) {
    if (!byId.has(s.id)) byId.set(s.id, { id: s.id, name: stripNul(s.name).text, suggested: suggestedCategory(s.statusCategory?.key) });
  }
  return [...byId.values()];
}

/** Histories oldest first; entries of the same instant in id order (Jira's ids grow with time). */
export function sortHistories<T extends { id: string; created: string }>(histories: readonly T[]): T[] {
  const byId = (a: string, b: string) => (a.length !== b.length && /^\d+$/.test(a + b) ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
  // Each instant parsed once, not once per comparison.
  const keyed = histories.map((h) => ({ h, time: Date.parse(toIsoInstant(h.created) ?? "") }));
  return keyed.sort((a, b) => a.time - b.time || byId(a.h.id, b.h.id)).map((k) => k.h);
}

/** A fix version as a milestone: released on its release date (at noon UTC, the same date in nearly every zone). */
export function mapFixVersion(version: JiraVersion): Milestone {
  const date = version.releaseDate && /^\d{4}-\d{2}-\d{2}$/.test(version.releaseDate) ? version.releaseDate : null;
  return {
    key: `version-${version.id}`,
    name: stripNul(version.name).text || version.id,
    due_on: date,
    shipped_at: version.released && date ? `${date}T12:00:00Z` : null,
  };
}

type HistoryItem = JiraHistory["items"][number];

const isStatusChange = (item: HistoryItem) => item.field === "status" || item.fieldId === "status";

export function mapJiraIssue(payload: unknown, config: JiraMapConfig): MappedRecord {
  const parsed = JiraIssue.safeParse(payload);
  if (!parsed.success) {
    const first = detailsFromZod(parsed.error)[0];
    return { ok: false, reason: `not a Jira issue as expected: ${first ? `${first.where}: ${first.message}` : "invalid"}` };
  }
  const issue = parsed.data;
  const fields = issue.fields;
  const flaggedField = config.flaggedField ?? DEFAULT_FLAGGED_FIELD;

  const cleaned = new Map<string, number>();
  const clean = (text: string, reason: string) => {
    const result = stripNul(text);
    if (result.removed > 0) cleaned.set(reason, (cleaned.get(reason) ?? 0) + result.removed);
    return result.text;
  };

  // The schema has checked every instant, so these conversions cannot fail.
  const instant = (value: string) => toIsoInstant(value)!;
  const createdAt = instant(fields.created);
  const changes = sortHistories(issue.changelog?.histories ?? []).flatMap((h) => h.items.map((item) => ({ at: instant(h.created), item })));

  // Status: the first change's `from` is where the issue started; without changes, it never moved.
  const statusChanges = changes.filter((c) => isStatusChange(c.item));
  const first = statusChanges[0]?.item;
  const initial = first?.from ? { statusId: first.from, name: first.fromString ?? first.from } : { statusId: fields.status.id, name: fields.status.name };
  const transitions: Item["transitions"] = [{ at: createdAt, statusId: initial.statusId, name: clean(initial.name, "NUL removed from a status name") }];
  for (const { at, item } of statusChanges) {
    if (!item.to) {
      cleaned.set("status change without a status id left out", (cleaned.get("status change without a status id left out") ?? 0) + 1);
      continue;
    }
    transitions.push({ at, statusId: item.to, name: clean(item.toString ?? item.to, "NUL removed from a status name") });
  }

  // Flagged: any value starts a block (Jira's option is "Impediment"), an empty one ends it.
  const blocks: Item["blocks"] = [];
  const flagChanges = changes.filter((c) => c.item.field === "Flagged" || (c.item.fieldId != null && c.item.fieldId === flaggedField));
  for (const { at, item } of flagChanges) {
    const open = blocks.find((b) => b.end === null);
    const set = Boolean(item.to || item.toString);
    if (set && !open) blocks.push({ start: at, end: null, reason: item.toString ? clean(item.toString, "NUL removed from a block reason") : "Flagged" });
    else if (!set && open) open.end = at;
  }
  // Flagged when created leaves no change behind: the flag then counts from creation.
  const flagNow = (fields as Record<string, unknown>)[flaggedField];
  if (flagChanges.length === 0 && (fields.flagged === true || hasValue(flagNow))) {
    blocks.push({ start: createdAt, end: null, reason: flagReason(flagNow) });
  }

  const { milestone, milestones } = mapMilestones(issue, config.milestones, clean);

  return {
    ok: true,
    item: {
      key: issue.key,
      title: clean(fields.summary, "NUL removed from the title"),
      type: clean(fields.issuetype.name, "NUL removed from the type").toLowerCase(),
      created_at: createdAt,
      url: `${config.siteUrl.replace(/\/+$/, "")}/browse/${encodeURIComponent(issue.key)}`,
      milestone,
      transitions,
      blocks,
    },
    milestones,
    cleaned: [...cleaned].map(([reason, count]) => ({ reason, count })),
  };
}

function hasValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "string") return value !== "";
  return typeof value === "object" && value !== null;
}

function flagReason(value: unknown): string {
  const option = Array.isArray(value) ? (value[0] as { value?: unknown } | undefined) : undefined;
  return typeof option?.value === "string" && option.value ? option.value : "Flagged";
}

function mapMilestones(issue: JiraIssue, mode: JiraMapConfig["milestones"], clean: (text: string, reason: string) => string): { milestone: string | null; milestones: Milestone[] } {
  if (mode === "epic") {
    const parent = issue.fields.parent;
    const type = parent?.fields?.issuetype;
    // A sub-task's parent is a story, not an epic: its epic is a grandparent the payload does not hold.
    const isEpic = type ? (type.hierarchyLevel != null ? type.hierarchyLevel === 1 : type.name.toLowerCase() === "epic") : false;
    if (!parent || !isEpic) return { milestone: null, milestones: [] };
    const name = clean(parent.fields?.summary || parent.key, "NUL removed from a milestone name");
    const m: Milestone = { key: `epic-${parent.id}`, name, due_on: null, shipped_at: null };
    return { milestone: m.key, milestones: [m] };
  }
  const versions = (issue.fields.fixVersions ?? []).map((v) => ({ ...mapFixVersion(v), name: clean(v.name, "NUL removed from a milestone name") || v.id }));
  if (versions.length === 0) return { milestone: null, milestones: [] };
  // Several fix versions (a backport): the item counts towards the one released first.
  const order = (m: Milestone) => m.due_on ?? "9999-12-31";
  const chosen = versions.reduce((a, b) => (order(b) < order(a) ? b : a));
  return { milestone: chosen.key, milestones: versions };
}
