// Roadblocks beside the blockers metric: which open blocker has a proposal, which came from the
// tracker, and how long a report has waited. Pure; joined by item key in the view so the metric's
// output and the API's shapes stay as the spec has them.

/** What the joins need of a roadblock (lib/services/roadblocks.ts's Roadblock fits). */
export interface RoadblockRef {
  id: number;
  item_key: string;
  proposal: string;
  support_needed: string | null;
  /** Null while its block is open. */
  ended_at: string | null;
}

/** What the joins need of an open blocker (the blockers metric's `open` entries fit). */
export interface OpenBlockerRef {
  key: string;
}

export interface ProposalRef {
  id: number;
  proposal: string;
  support_needed: string | null;
}
export type WithRoadblocks<B> = B & { roadblocks: ProposalRef[] };

/** Each open blocker with the open roadblocks reported on its item (none: from the tracker). */
export function withProposals<B extends OpenBlockerRef>(open: readonly B[], roadblocks: readonly RoadblockRef[]): WithRoadblocks<B>[] {
  const byKey = new Map<string, ProposalRef[]>();
  for (const r of roadblocks) {
    if (r.ended_at !== null) continue;
    const list = byKey.get(r.item_key) ?? [];
    list.push({ id: r.id, proposal: r.proposal, support_needed: r.support_needed });
    byKey.set(r.item_key, list);
  }
  return open.map((b) => ({ ...b, roadblocks: byKey.get(b.key) ?? [] }));
}

/**
 * The open blockers no open roadblock explains: blocks from the tracker (flags, labels, blocked
 * statuses), shown read-only. An item blocked by both is listed with its roadblock.
 */
export function trackerBlockers<B extends OpenBlockerRef>(open: readonly B[], roadblocks: readonly RoadblockRef[]): (B & { source: "tracker" })[] {
  const reported = new Set(roadblocks.filter((r) => r.ended_at === null).map((r) => r.item_key));
  return open.filter((b) => !reported.has(b.key)).map((b) => ({ ...b, source: "tracker" as const }));
}

/** What an open report's badge says: whole days since it was reported (or reopened). */
export function waitingLabel(waitingHours: number): string {
  const days = Math.floor(waitingHours / 24);
  if (days < 1) return "waiting less than a day for an answer";
  return `waiting ${days} ${days === 1 ? "day" : "days"} for an answer`;
}

/** Open reports first, the longest waiting first; then the decided ones, the latest decided first. */
export function orderRoadblocks<R extends { id: number; ended_at: string | null; reported_at: string; decided_at: string | null }>(list: readonly R[]): { open: R[]; ended: R[] } {
  const open = list.filter((r) => r.ended_at === null).sort((a, b) => a.reported_at.localeCompare(b.reported_at) || a.id - b.id);
  const ended = list.filter((r) => r.ended_at !== null).sort((a, b) => (b.ended_at ?? "").localeCompare(a.ended_at ?? "") || b.id - a.id);
  return { open, ended };
}
