// The blockers metric from SQL against the per-item rule (lib/metrics/compute/blocked-time.ts)
// applied to each item's own history, for random histories and as_of instants, on every engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client";
import { importHistory } from "../../lib/ingest/history";
import { computeBlockedTime } from "../../lib/metrics/compute/blocked-time";
import { deriveTransitionFacts, factAt } from "../../lib/metrics/compute/item-facts";
import { seededRandom } from "../../lib/metrics/compute/random";
import { roundHours } from "../../lib/metrics/compute/series";
import { workflowOf } from "../../lib/metrics/compute/workflow";
import { getTeamMetric, type MetricResults } from "../../lib/metrics/load";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf, WORKFLOW, type TestItem } from "../helpers/history";

const DAY = 86_400_000;
const START = Date.parse("2026-03-01T00:00:00Z");

function randomItems(seed: number): TestItem[] {
  const random = seededRandom(seed);
  const statuses = WORKFLOW.map((s) => s.status);
  return Array.from({ length: 70 }, (_, n) => {
    let t = START + Math.floor(random() * 30 * DAY);
    const transitions = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
      t += Math.floor(random() * 3 * DAY);
      return { at: new Date(t).toISOString(), to: statuses[Math.floor(random() * statuses.length)]! };
    });
    const first = Date.parse(transitions[0]!.at);
    const blocks = Array.from({ length: random() < 0.5 ? Math.floor(random() * 3) + 1 : 0 }, () => {
      const start = first + Math.floor((random() - 0.2) * 12 * DAY);
      return { start: new Date(start).toISOString(), end: random() < 0.3 ? null : new Date(start + Math.floor(random() * 5 * DAY)).toISOString(), reason: random() < 0.5 ? "vendor" : "review" };
    });
    return { key: `B-${String(n + 1).padStart(3, "0")}`, transitions, blocks };
  });
}

describe.each(engines())("blockers for random histories on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("blockers");
  const items = randomItems(7);
  beforeAll(async () => {
    database = await engine.open();
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", items)));
  });
  afterAll(async () => database?.close());

  it("gives every item the blocked time and open blocker its own history gives it", async () => {
    const workflow = workflowOf(WORKFLOW.map((s) => ({ name: s.status, category: s.category as "todo", blocked: Boolean(s.blocked), discarded: Boolean(s.discarded) })));
    const random = seededRandom(8);
    for (let c = 0; c < 10; c++) {
      const asOf = new Date(START + Math.floor(random() * 45 * DAY));
      const expectedItems: { key: string; blocked_hours: number }[] = [];
      const expectedOpen: string[] = [];
      for (const item of items) {
        const facts = deriveTransitionFacts(item.transitions.map((t) => ({ at: new Date(t.at), to: t.to })), workflow);
        const now = factAt(facts, asOf);
        const spans = [
          ...(item.blocks ?? []).map((b) => ({ start: new Date(b.start), end: b.end && Date.parse(b.end) <= asOf.getTime() ? new Date(b.end) : null, reason: b.reason ?? null })),
          ...facts
            .filter((f) => f.blocked && f.at.getTime() <= asOf.getTime() && (f.until === null || f.until.getTime() > f.at.getTime()))
            .map((f) => ({ start: f.at, end: f.until && f.until.getTime() <= asOf.getTime() ? f.until : null, reason: f.status })),
        ].sort((a, b) => a.start.getTime() - b.start.getTime());
        const time = computeBlockedTime({
          asOf,
          startedAt: now && now.category !== "todo" ? now.startedAt : null,
          finishedAt: now?.category === "done" ? now.finishedAt : null,
          spans,
        });
        if (time.blockedMs > 0) expectedItems.push({ key: item.key, blocked_hours: roundHours(time.blockedMs) });
        if (time.open) expectedOpen.push(item.key);
      }
      const result = (await getTeamMetric(database.db, { metric: "blockers", team, as_of: asOf.toISOString() }, new Date())) as MetricResults["blockers"];
      expect(result.items, `as of ${asOf.toISOString()}`).toEqual(expectedItems);
      expect(result.open.map((o) => o.key).sort(), `as of ${asOf.toISOString()}`).toEqual(expectedOpen);
    }
  });
});
