// From what the connectors mapped to one work-history document (../shared/spec/import-format.md).
// Pure: the sync engine feeds it the stored records, so a mapping change re-derives everything
// without fetching again.
import type { MappedRecord, StatusCategory, StatusMapping, TrackerStatus } from "../connectors/tracker";
import { WorkItemInput } from "./history-schema";

type MappedItem = Extract<MappedRecord, { ok: true }>;

export interface DerivedDocument {
  workflow: { status: string; category: StatusCategory; blocked: boolean; discarded: boolean }[];
  milestones: { key: string; name: string; due_on: string | null; shipped_at: string | null }[];
  /** Valid work items, each with the record it came from. */
  items: { recordId: string; item: Record<string, unknown> }[];
  /** Statuses the history names that the tracker no longer lists (kept, for the mapping review). */
  unlisted: { id: string; name: string }[];
  /** Why records were skipped or repaired, with how many each (never dropped silently). */
  reasons: Record<string, number>;
  skipped: number;
  cleaned: number;
}

const ORDER: Record<StatusCategory, number> = { todo: 0, in_progress: 1, done: 2 };

/**
 * One workflow name per status id, in the order given (the tracker's list, then the statuses only
 * the history names): a second id under a name already taken gets its id appended.
 */
export function workflowNames(statuses: readonly { id: string; name: string }[]): Map<string, string> {
  const nameOf = new Map<string, string>();
  const used = new Set<string>();
  for (const s of statuses) {
    const name = used.has(s.name) ? `${s.name} (${s.id})` : s.name;
    used.add(name);
    nameOf.set(s.id, name);
  }
  return nameOf;
}

/**
 * The workflow is every listed status and every status a transition names (a status deleted from
 * the tracker's list keeps its history: it gets a proposed category, counted so an admin reviews
 * it), by category then in the tracker's order. A status is named as the list names it now, so a
 * rename under the same id follows the id.
 */
export function buildSyncDocument(records: { recordId: string; mapped: MappedRecord }[], statuses: readonly TrackerStatus[], mapping: StatusMapping): DerivedDocument {
  const reasons: Record<string, number> = {};
  const count = (reason: string, n = 1) => (reasons[reason] = (reasons[reason] ?? 0) + n);
  const listed = new Map(statuses.map((s, i) => [s.id, { ...s, position: i }]));
  const named = new Map<string, { name: string; position: number }>();
  const ok: { recordId: string; mapped: MappedItem }[] = [];
  let skipped = 0;
  let cleaned = 0;
  for (const r of records) {
    if (!r.mapped.ok) {
      skipped++;
      count(`skipped: ${r.mapped.reason}`);
      continue;
    }
    ok.push({ recordId: r.recordId, mapped: r.mapped });
    for (const c of r.mapped.cleaned) {
      cleaned += c.count;
      count(`repaired: ${c.reason}`, c.count);
    }
    for (const t of r.mapped.item.transitions) {
      if (!listed.has(t.statusId) && !named.has(t.statusId)) named.set(t.statusId, { name: t.name, position: statuses.length + named.size });
    }
  }

  const entries = [
    ...statuses.map((s) => ({ id: s.id, name: s.name, suggested: s.suggested, discarded: s.discarded ?? false, position: listed.get(s.id)!.position, listed: true })),
    ...[...named].map(([id, n]) => ({ id, name: n.name, suggested: null as StatusCategory | null, discarded: false, position: n.position, listed: false })),
  ];
  const nameOf = workflowNames(entries);
  const workflow = entries.map((e) => {
    const chosen = mapping[e.id];
    let category = chosen?.category ?? e.suggested;
    if (!category) {
      category = "in_progress";
      count(`status "${e.name}" (${e.id}) has no category from the tracker${e.listed ? "" : " and is no longer in its status list"}: in_progress proposed, review the mapping`);
    }
    const name = nameOf.get(e.id)!;
    const discarded = category === "done" && (chosen?.discarded ?? e.discarded);
    return { status: name, category, blocked: chosen?.blocked ?? false, discarded, position: e.position };
  });
  workflow.sort((a, b) => ORDER[a.category] - ORDER[b.category] || a.position - b.position);

  const milestones = new Map<string, DerivedDocument["milestones"][number]>();
  const items: DerivedDocument["items"] = [];
  const keys = new Set<string>();
  for (const { recordId, mapped } of ok) {
    for (const m of mapped.milestones) milestones.set(m.key, m);
    const transitions: { at: string; to: string }[] = [];
    for (const t of [...mapped.item.transitions].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
      const to = nameOf.get(t.statusId)!;
      if (transitions.at(-1)?.to !== to) transitions.push({ at: t.at, to });
    }
    const item = { ...mapped.item, transitions };
    const parsed = WorkItemInput.safeParse(item);
    if (!parsed.success) {
      skipped++;
      const issue = parsed.error.issues[0];
      count(`skipped: ${issue ? `${issue.path.join(".") || "item"} ${issue.message}` : "invalid item"}`);
      continue;
    }
    if (keys.has(item.key)) {
      skipped++;
      count(`skipped: key ${item.key} held by another record (first kept)`);
      continue;
    }
    keys.add(item.key);
    items.push({ recordId, item });
  }
  // A milestone no stored item names is still the tracker's: kept, so its ship date stays on charts.
  const unlisted = [...named.keys()].map((id) => ({ id, name: nameOf.get(id)! }));
  return { workflow: workflow.map(({ position: _position, ...w }) => w), milestones: [...milestones.values()], items, unlisted, reasons, skipped, cleaned };
}
