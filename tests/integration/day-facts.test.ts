// The day-level facts against the transitions they summarise: WIP and cumulative flow read from
// facts equal the same metrics computed from transitions alone, for random histories, windows,
// as_of instants and zones; and facts kept up by imports equal facts rebuilt from scratch.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database, type Db } from "../../lib/db/client";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { importHistory } from "../../lib/ingest/history";
import { buildMissingDayFacts, rebuildDayFacts } from "../../lib/ingest/day-facts";
import { seededRandom } from "../../lib/metrics/compute/random";
import { computeMetric, type MetricWindow } from "../../lib/metrics/load";
import { addDays, localDate } from "../../lib/time/calendar";
import { engines, uniqueKey } from "../helpers/db";
import { sourceOf, type TestItem } from "../helpers/history";

const WORKFLOW = [
  { status: "Backlog", category: "todo" },
  { status: "Ready", category: "todo" },
  { status: "In Progress", category: "in_progress", wip_limit: 4 },
  { status: "Blocked", category: "in_progress", blocked: true },
  { status: "Review", category: "in_progress", wip_limit: 2 },
  { status: "Done", category: "done" },
  { status: "Won't Do", category: "done", discarded: true },
];
const STATUSES = WORKFLOW.map((s) => s.status);
const START = Date.parse("2026-03-20T00:00:00Z");
const DAY = 86_400_000;

/** Random items over ~40 days: repeated statuses, same-instant moves, moves at local midnights. */
function randomItems(seed: number, count: number, timezoneMidnights: number[]): TestItem[] {
  const random = seededRandom(seed);
  const items: TestItem[] = [];
  for (let i = 0; i < count; i++) {
    let t = START + Math.floor(random() * 30 * DAY);
    const transitions: { at: string; to: string }[] = [];
    const steps = 1 + Math.floor(random() * 7);
    for (let s = 0; s < steps; s++) {
      const r = random();
      if (r < 0.1 && s > 0) {
        // same instant as the previous move
      } else if (r < 0.2) {
        t = timezoneMidnights.find((m) => m > t) ?? t + DAY;
      } else t += Math.floor(random() * 3 * DAY);
      transitions.push({ at: new Date(t).toISOString(), to: STATUSES[Math.floor(random() * STATUSES.length)]! });
    }
    items.push({ key: `K-${i + 1}`, type: random() < 0.6 ? "story" : "bug", transitions });
  }
  return items;
}

function doc(team: string, timezone: string, items: TestItem[], workflow: unknown[] = WORKFLOW) {
  return {
    version: 1,
    team: { key: team, name: team, timezone, wip_limit: 6 },
    workflow,
    items: items.map((i) => ({ title: i.key, type: i.type ?? "story", created_at: i.transitions[0]!.at, blocks: [], ...i })),
  };
}

/** Local midnights of a zone over the test's span, as instants (where moves like to land). */
async function midnights(db: Db, timezone: string): Promise<number[]> {
  const rows = await queryRows<{ m: Date }>(
    db,
    sql`select (d::date::timestamp at time zone ${timezone}) as m from generate_series('2026-03-18'::date, '2026-05-10'::date, interval '1 day') d`,
  );
  return rows.map((r) => new Date(r.m).getTime());
}

async function withoutFacts<T>(db: Db, teamId: number, run: () => Promise<T>): Promise<T> {
  const [marker] = await queryRows<{ timezone: string }>(db, sql`delete from day_facts_teams where team_id = ${teamId} returning timezone`);
  try {
    return await run();
  } finally {
    if (marker) await db.execute(sql`insert into day_facts_teams (team_id, timezone) values (${teamId}, ${marker.timezone})`);
  }
}

async function storedFacts(db: Db, teamId: number) {
  const status = await queryRows(
    db,
    sql`select day::text, item_type, status, end_of_day, any_instant from day_status_facts where team_id = ${teamId} order by 1, 2, 3`,
  );
  const wip = await queryRows(db, sql`select day::text, item_type, delta from day_wip_facts where team_id = ${teamId} order by 1, 2`);
  return { status, wip };
}

describe.each(engines())("day-level facts on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  it.each(["Europe/Berlin", "Asia/Kathmandu", "America/Santiago", "Pacific/Chatham"])(
    "WIP and cumulative flow from facts equal them from transitions (%s)",
    async (timezone) => {
      const db = database.db;
      const key = uniqueKey("facts");
      await importHistory(db, sourceOf(doc(key, timezone, randomItems(timezone.length * 7919, 80, await midnights(db, timezone)))));
      const team = (await getTeamByKey(db, key))!;
      const [marker] = await queryRows<{ timezone: string }>(db, sql`select timezone from day_facts_teams where team_id = ${team.id}`);
      expect(marker?.timezone).toBe(timezone);

      const random = seededRandom(timezone.length);
      const marks = await midnights(db, timezone);
      let compared = 0;
      for (let c = 0; c < 24; c++) {
        // as_of: a random instant, a local midnight, a moment just before one, before all history, after it.
        const pick = random();
        const mark = marks[Math.floor(random() * marks.length)]!;
        const asOfMs =
          c === 0 ? START - 5 * DAY : c === 1 ? START + 60 * DAY : pick < 0.3 ? mark : pick < 0.5 ? mark - 1 : START + Math.floor(random() * 45 * DAY);
        const asOf = new Date(asOfMs);
        const asOfDay = localDate(asOf, timezone);
        const to = addDays(asOfDay, Math.floor(random() * 7) - 3);
        const from = addDays(to, -Math.floor(random() * 40));
        const type = random() < 0.3 ? (random() < 0.5 ? "story" : "bug") : undefined;
        const window: MetricWindow = { team, asOf, from, to, type };
        for (const metric of ["wip", "cfd"] as const) {
          const fromFacts = await computeMetric(db, metric, window);
          const fromTransitions = await withoutFacts(db, team.id, () => computeMetric(db, metric, window));
          expect(fromFacts, `${metric} as of ${asOf.toISOString()} over ${from}..${to}${type ? ` (${type})` : ""}`).toEqual(fromTransitions);
          compared++;
        }
      }
      expect(compared).toBe(48);
    },
  );

  it("keeps facts equal to a rebuild through changed, retyped and new items, and a changed workflow", async () => {
    const db = database.db;
    const key = uniqueKey("facts-upd");
    const timezone = "Europe/Berlin";
    const marks = await midnights(db, timezone);
    const first = randomItems(11, 60, marks);
    await importHistory(db, sourceOf(doc(key, timezone, first)));
    const team = (await getTeamByKey(db, key))!;

    // Half the items change (transitions moved, a type changed), some are new, the rest stay.
    const moved = randomItems(13, 80, marks);
    const second = moved.map((item, i) =>
      i < 60 && i % 2 === 0 ? first[i]! : { ...item, key: i < 60 ? first[i]!.key : item.key, type: i % 3 === 0 ? "chore" : item.type },
    );
    await importHistory(db, sourceOf(doc(key, timezone, second)));
    const kept = await storedFacts(db, team.id);
    expect(kept.status.length).toBeGreaterThan(0);
    await db.transaction((tx) => rebuildDayFacts(tx as unknown as Db, team.id, timezone));
    expect(await storedFacts(db, team.id)).toEqual(kept);

    // A workflow that counts Review as done: every item's contribution changes.
    const workflow = WORKFLOW.map((s) => (s.status === "Review" ? { status: "Review", category: "done" } : s));
    await importHistory(db, sourceOf(doc(key, timezone, second, workflow)));
    const rederived = await storedFacts(db, team.id);
    expect(rederived).not.toEqual(kept);
    await db.transaction((tx) => rebuildDayFacts(tx as unknown as Db, team.id, timezone));
    expect(await storedFacts(db, team.id)).toEqual(rederived);

    // A new timezone moves every day: the facts follow it.
    await importHistory(db, sourceOf(doc(key, "Asia/Tokyo", second, workflow)));
    const [marker] = await queryRows<{ timezone: string }>(db, sql`select timezone from day_facts_teams where team_id = ${team.id}`);
    expect(marker?.timezone).toBe("Asia/Tokyo");
    const tokyo = await storedFacts(db, team.id);
    await db.transaction((tx) => rebuildDayFacts(tx as unknown as Db, team.id, "Asia/Tokyo"));
    expect(await storedFacts(db, team.id)).toEqual(tokyo);
  });

  it("rebuilds the facts of a team whose facts were never built (an upgraded database)", async () => {
    const db = database.db;
    const key = uniqueKey("facts-old");
    const items = randomItems(21, 40, await midnights(db, "UTC"));
    await importHistory(db, sourceOf(doc(key, "UTC", items)));
    const team = (await getTeamByKey(db, key))!;
    const built = await storedFacts(db, team.id);
    await db.execute(sql`delete from day_facts_teams where team_id = ${team.id}`);
    await db.execute(sql`delete from day_status_facts where team_id = ${team.id}`);
    await db.execute(sql`delete from day_wip_facts where team_id = ${team.id}`);
    // `throughline migrate` (and prepare) builds them for every such team.
    expect(await buildMissingDayFacts(db)).toContain(key);
    expect(await storedFacts(db, team.id)).toEqual(built);
    expect(await buildMissingDayFacts(db)).not.toContain(key);

    // So does an import that changes nothing: it finds the facts missing.
    await db.execute(sql`delete from day_facts_teams where team_id = ${team.id}`);
    await db.execute(sql`delete from day_status_facts where team_id = ${team.id}`);
    await importHistory(db, sourceOf(doc(key, "UTC", items)));
    expect(await storedFacts(db, team.id)).toEqual(built);
  });
});
