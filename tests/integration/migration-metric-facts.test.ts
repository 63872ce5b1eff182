// Migrations 0011 and 0012 give stored rows the facts the import now derives (the transitions'
// quality facts, the items' first transitions): each backfill must set exactly what an import of
// the same history sets.
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, queryRows, type Database } from "../../lib/db/client";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { importHistory } from "../../lib/ingest/history";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf, WORKFLOW } from "../helpers/history";

const tr = (at: string, to: string) => ({ at, to });
const ITEMS = [
  // Reopened (Done → Review), then moved backwards (Review → In Progress).
  { key: "M1", transitions: [tr("2026-03-02T09:00:00Z", "In Progress"), tr("2026-03-03T09:00:00Z", "Done"), tr("2026-03-04T09:00:00Z", "Review"), tr("2026-03-05T09:00:00Z", "In Progress")] },
  // Moved backwards from Review to Ready, then on.
  { key: "M2", transitions: [tr("2026-03-02T09:00:00Z", "Review"), tr("2026-03-03T09:00:00Z", "Ready"), tr("2026-03-06T09:00:00Z", "Done")] },
  // Done → Won't Do: a move between done statuses is neither.
  { key: "M3", transitions: [tr("2026-03-02T09:00:00Z", "In Progress"), tr("2026-03-03T09:00:00Z", "Done"), tr("2026-03-04T09:00:00Z", "Won't Do")] },
  { key: "M4", transitions: [tr("2026-03-02T09:00:00Z", "Backlog"), tr("2026-03-03T09:00:00Z", "In Progress"), tr("2026-03-04T09:00:00Z", "Done")] },
];

/** The backfill statement of the migration file, as shipped. */
function backfill(file = "0011_metric_facts.sql", table = "transitions"): string {
  const text = fs.readFileSync(path.join(migrationsFolder(), file), "utf8");
  const statement = text.split("--> statement-breakpoint").find((s) => new RegExp(`UPDATE "${table}"`).test(s));
  if (!statement) throw new Error(`${file} has no backfill statement`);
  return statement;
}

describe.each(engines())("migrations 0011 and 0012: stored facts on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("mig12");
  beforeAll(async () => {
    database = await engine.open();
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", ITEMS, { workflow: WORKFLOW })));
  });
  afterAll(async () => database?.close());

  const facts = async (teamId: number) =>
    queryRows<{ key: string; seq: number; reopened: boolean; moved_backwards: boolean }>(
      database.db,
      sql`select i.key, t.seq, t.reopened, t.moved_backwards from transitions t join work_items i on i.id = t.item_id where t.team_id = ${teamId} order by 1, 2`,
    );

  it("sets what the import derives, from the transition that did it on", async () => {
    const { id } = (await getTeamByKey(database.db, team))!;
    const imported = await facts(id);
    const flagged = (key: string, column: "reopened" | "moved_backwards") => imported.filter((r) => r.key === key && r[column]).map((r) => r.seq);
    expect(flagged("M1", "reopened")).toEqual([2, 3]);
    expect(flagged("M1", "moved_backwards")).toEqual([3]);
    expect(flagged("M2", "moved_backwards")).toEqual([1, 2]);
    expect(flagged("M3", "reopened")).toEqual([]);
    expect(flagged("M4", "moved_backwards")).toEqual([]);

    await database.db.execute(sql`update transitions set reopened = false, moved_backwards = false where team_id = ${id}`);
    await database.db.execute(sql.raw(backfill()));
    expect(await facts(id)).toEqual(imported);
  });

  it("0012 sets each item's first transition instant, as the import writes it", async () => {
    const { id } = (await getTeamByKey(database.db, team))!;
    const firsts = () =>
      queryRows<{ key: string; first: Date | null }>(database.db, sql`select key, first_transition_at as first from work_items where team_id = ${id} order by key`);
    const imported = await firsts();
    expect(imported.map((r) => [r.key, r.first && new Date(r.first).toISOString()])).toEqual(ITEMS.map((i) => [i.key, new Date(i.transitions[0]!.at).toISOString()]));
    await database.db.execute(sql`update work_items set first_transition_at = null where team_id = ${id}`);
    await database.db.execute(sql.raw(backfill("0012_blocked_facts.sql", "work_items")));
    expect(await firsts()).toEqual(imported);
  });
});
