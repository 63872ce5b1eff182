// Migration 0011 gives stored transitions the quality facts the import now derives: its backfill
// must set exactly what an import of the same history sets.
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
function backfill(): string {
  const file = fs.readFileSync(path.join(migrationsFolder(), "0011_metric_facts.sql"), "utf8");
  const statement = file.split("--> statement-breakpoint").find((s) => /UPDATE "transitions"/.test(s));
  if (!statement) throw new Error("0011 has no backfill statement");
  return statement;
}

describe.each(engines())("migration 0011's quality facts on $name", (engine) => {
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
});
