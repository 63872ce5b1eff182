// The blockers metric from SQL against the per-item rule (lib/metrics/compute/blocked-time.ts)
// applied to each item's own history, for random histories and as_of instants, on every engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "../../lib/db/client";
import { sql } from "drizzle-orm";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { buildMissingBlockedFacts } from "../../lib/ingest/blocked-facts";
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
type Workflow = { status: string; category: string; blocked?: boolean; discarded?: boolean }[];
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

  /** Every as_of of the check: inside the histories (items changed after it come from their spans), and after them all (every item from its facts). */
  function asOfs(): Date[] {
    const random = seededRandom(8);
    return [...Array.from({ length: 10 }, () => new Date(START + Math.floor(random() * 45 * DAY))), new Date(START + 90 * DAY), new Date(START + 400 * DAY)];
  }

  /** What each item's own history gives at as_of: its blocked hours, whether it is open, hours per reason. */
  function expected(asOf: Date, workflowOfTeam: Workflow = WORKFLOW) {
    const workflow = workflowOf(workflowOfTeam.map((s) => ({ name: s.status, category: s.category as "todo", blocked: Boolean(s.blocked), discarded: Boolean(s.discarded) })));
    const expectedItems: { key: string; blocked_hours: number }[] = [];
    const expectedOpen: string[] = [];
    const byReason = new Map<string, number>();
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
      for (const [reason, ms] of time.byReasonMs) byReason.set(reason, (byReason.get(reason) ?? 0) + ms);
    }
    const reasons = Object.fromEntries([...byReason].map(([reason, ms]) => [reason, roundHours(ms)]).filter(([, hours]) => (hours as number) > 0));
    return { items: expectedItems, open: expectedOpen, reasons };
  }

  async function check(label: string, workflowOfTeam: Workflow = WORKFLOW) {
    for (const asOf of asOfs()) {
      const want = expected(asOf, workflowOfTeam);
      const result = (await getTeamMetric(database.db, { metric: "blockers", team, as_of: asOf.toISOString(), details: "1" }, new Date())) as MetricResults["blockers"];
      const at = `${label}, as of ${asOf.toISOString()}`;
      expect(result.items, at).toEqual(want.items);
      expect(result.open.map((o) => o.key).sort(), at).toEqual(want.open);
      expect(Object.fromEntries((result.by_reason ?? []).map((r) => [r.reason, r.hours])), at).toEqual(want.reasons);
    }
  }

  it("gives every item the blocked time and open blocker its own history gives it", async () => {
    // The cases cover items from their facts and items computed from spans, with open blockers.
    expect(expected(new Date(START + 400 * DAY)).open.length).toBeGreaterThan(3);
    await check("facts kept by the import");
  });

  it("gives the same from spans alone, before the facts are built, and after building them", async () => {
    const { id } = (await getTeamByKey(database.db, team))!;
    await database.db.execute(sql`delete from blocked_facts_teams where team_id = ${id}`);
    await database.db.execute(sql`delete from item_blocked_facts where team_id = ${id}`);
    await check("facts not built");
    expect(await buildMissingBlockedFacts(database.db)).toContain(team);
    const [{ n }] = (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from item_blocked_facts where team_id = ${id}`)) as [{ n: number }];
    expect(n).toBeGreaterThan(10);
    await check("facts built afterwards");
  });

  it("recomputes every item's facts when a new workflow makes another status blocked", async () => {
    // Review becomes a blocked status; the items themselves are unchanged (the import writes none of them).
    const workflow: Workflow = WORKFLOW.map((s) => (s.status === "Review" ? { ...s, blocked: true } : s));
    await importHistory(database.db, sourceOf({ ...historyDoc(team, "UTC", items), workflow }));
    await check("Review blocked", workflow);
  });
});
