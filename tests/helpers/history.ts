// Builds work-history documents for tests, in the import format of the spec.
import type { HistorySource } from "../../lib/ingest/source";

export const WORKFLOW = [
  { status: "Backlog", category: "todo" },
  { status: "Ready", category: "todo" },
  { status: "In Progress", category: "in_progress" },
  { status: "Blocked", category: "in_progress", blocked: true },
  { status: "Review", category: "in_progress" },
  { status: "Done", category: "done" },
  { status: "Won't Do", category: "done", discarded: true },
];

export interface TestItem {
  key: string;
  title?: string;
  type?: string;
  created_at?: string;
  milestone?: string;
  transitions: { at: string; to: string; from?: string }[];
  blocks?: { start: string; end: string | null; reason?: string }[];
}

export function historyDoc(team: string, timezone: string, items: TestItem[], extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    team: { key: team, name: `Team ${team}`, timezone },
    workflow: WORKFLOW,
    ...extra,
    items: items.map((i) => ({
      title: `Item ${i.key}`,
      type: "story",
      created_at: i.transitions[0]?.at ?? "2026-01-01T00:00:00Z",
      blocks: [],
      ...i,
    })),
  };
}

export function sourceOf(doc: Record<string, unknown>, name = "test.json"): HistorySource {
  const { items, ...header } = doc as { items: unknown[] };
  return { name, header, items: items.map((value, i) => ({ where: `items[${i}]`, value })) };
}
