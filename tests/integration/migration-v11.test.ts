// A database imported under spec v1 reads v1.1 finish instants once migrated: nobody re-imports.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, migrationsFolder, openDatabase, queryRows, type Database } from "../../lib/db/client";
import { env } from "../../lib/env";
import { importHistory } from "../../lib/ingest/history";
import { getTeamMetric, type MetricResults } from "../../lib/metrics/load";
import { uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf, WORKFLOW } from "../helpers/history";

const FLOW = [...WORKFLOW.slice(0, 6), { status: "Released", category: "done" }, WORKFLOW[6]!];
const AS_OF = "2026-04-01T00:00:00Z";
const ITEMS = [
  // Done → Released: v1 finished it at Released (03-06), v1.1 at Done (03-04).
  { key: "R1", transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }, { at: "2026-03-04T09:00:00Z", to: "Done" }, { at: "2026-03-06T09:00:00Z", to: "Released" }] },
  // Won't Do → Done: v1 at Done (03-08), v1.1 at Won't Do (03-05), and it counts (not discarded at as_of).
  { key: "R2", transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }, { at: "2026-03-05T09:00:00Z", to: "Won't Do" }, { at: "2026-03-08T09:00:00Z", to: "Done" }] },
  // Reopened, done again, then released: v1 finished it at Released (03-12), v1.1 at its second entry into done (03-10).
  {
    key: "R3",
    transitions: [
      { at: "2026-03-02T09:00:00Z", to: "In Progress" },
      { at: "2026-03-03T09:00:00Z", to: "Done" },
      { at: "2026-03-04T09:00:00Z", to: "Review" },
      { at: "2026-03-10T09:00:00Z", to: "Done" },
      { at: "2026-03-12T09:00:00Z", to: "Released" },
    ],
  },
  // Unaffected: one entry into done.
  { key: "R4", transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }, { at: "2026-03-03T09:00:00Z", to: "Done" }] },
];

/** The migration set as it was before v1.1 (0000–0002), in a folder of its own. */
function v1Migrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-v1-"));
  const source = migrationsFolder();
  fs.mkdirSync(path.join(dir, "meta"));
  const journal = JSON.parse(fs.readFileSync(path.join(source, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= 2);
  fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(journal));
  for (const e of journal.entries) fs.copyFileSync(path.join(source, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

interface FreshEngine {
  name: string;
  open(): Promise<{ database: Database; drop(): Promise<void> }>;
}

function freshEngines(): FreshEngine[] {
  const list: FreshEngine[] = [{ name: "pglite", open: async () => ({ database: await openDatabase({ dataDir: "memory://", migrate: false }), drop: async () => {} }) }];
  const url = env().DATABASE_URL;
  if (url) {
    list.push({
      name: "postgres",
      open: async () => {
        // A database of its own: the shared test database already has every migration.
        const name = `throughline_mig_${uniqueKey("v11").replace(/-/g, "_")}`;
        const admin = postgres(url, { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database "${name}"`);
        const own = new URL(url);
        own.pathname = `/${name}`;
        const database = await openDatabase({ url: own.toString(), max: 2, migrate: false });
        return {
          database,
          drop: async () => {
            await database.close();
            await admin.unsafe(`drop database if exists "${name}" with (force)`);
            await admin.end();
          },
        };
      },
    });
  }
  return list;
}

describe.each(freshEngines())("migrating a v1 database to spec v1.1 on $name", (engine) => {
  let opened: Awaited<ReturnType<FreshEngine["open"]>>;
  const team = uniqueKey("legacy");
  const cycleTimes = async () => {
    const r = (await getTeamMetric(opened.database.db, { metric: "cycle-time", team, as_of: AS_OF, from: "2026-03-01", to: "2026-03-31" }, new Date())) as MetricResults["cycle-time"];
    return Object.fromEntries(r.items.map((i) => [i.key, i.finished_at]));
  };

  beforeAll(async () => {
    opened = await engine.open();
    await migrateDatabase(opened.database, v1Migrations());
    // Today's import writes v1's rows, and also looks at what later migrations added (a roadblock's
    // block, 0009): those are made for the import and dropped after it, leaving v1's schema exactly.
    // So are the day-level facts and the transitions' quality facts (0011).
    const db = opened.database.db;
    await db.execute(sql`create table roadblocks (id serial primary key, team_id integer, item_key text, since timestamptz, ended_at timestamptz, problem text)`);
    await db.execute(sql`alter table blocks add column roadblock_id integer`);
    await db.execute(sql`create table day_facts_teams (team_id integer primary key, timezone text not null, built_at timestamptz not null default now())`);
    await db.execute(sql`create table day_status_facts (team_id integer, day date, item_type text, status text, end_of_day integer, any_instant integer, primary key (team_id, day, item_type, status))`);
    await db.execute(sql`create table day_wip_facts (team_id integer, day date, item_type text, delta integer, primary key (team_id, day, item_type))`);
    await db.execute(sql`alter table transitions add column reopened boolean not null default false, add column moved_backwards boolean not null default false`);
    // And the items' blocked facts and first transitions (0012).
    await db.execute(sql`alter table work_items add column first_transition_at timestamptz`);
    await db.execute(sql`create table blocked_facts_teams (team_id integer primary key, built_at timestamptz not null default now())`);
    await db.execute(
      sql`create table item_blocked_facts (item_id bigint primary key, team_id integer, valid_from timestamptz, blocked_ms float8, open_since timestamptz, open_reasons jsonb, by_reason jsonb)`,
    );
    await importHistory(db, sourceOf(historyDoc(team, "UTC", ITEMS, { workflow: FLOW })));
    await db.execute(sql`drop table roadblocks`);
    await db.execute(sql`alter table blocks drop column roadblock_id`);
    await db.execute(sql`drop table day_facts_teams, day_status_facts, day_wip_facts`);
    await db.execute(sql`alter table transitions drop column reopened, drop column moved_backwards`);
    await db.execute(sql`alter table work_items drop column first_transition_at`);
    await db.execute(sql`drop table blocked_facts_teams, item_blocked_facts`);
    // What v1 stored: every transition into a done status was the item's finish.
    await opened.database.db.execute(sql`update transitions set finished_at = at where category = 'done'`);
  });
  afterAll(async () => {
    if (!opened) return;
    if (engine.name === "pglite") await opened.database.close();
    await opened.drop();
  });

  it("reads v1 finishes before the migration and v1.1 finishes after it", async () => {
    expect(await cycleTimes()).toEqual({ R1: "2026-03-06T09:00:00Z", R2: "2026-03-08T09:00:00Z", R3: "2026-03-12T09:00:00Z", R4: "2026-03-03T09:00:00Z" });
    await migrateDatabase(opened.database);
    expect(await cycleTimes()).toEqual({ R1: "2026-03-04T09:00:00Z", R2: "2026-03-05T09:00:00Z", R3: "2026-03-10T09:00:00Z", R4: "2026-03-03T09:00:00Z" });
    // Past states re-derive too: between Done and Released R1 was already finished on 03-04.
    const [row] = await queryRows<{ finished_at: Date | string }>(
      opened.database.db,
      sql`select t.finished_at from transitions t join work_items i on i.id = t.item_id where i.key = 'R3' and t.status = 'Done' and t.at < '2026-03-04T00:00:00Z'`,
    );
    expect(new Date(row!.finished_at).toISOString()).toBe("2026-03-03T09:00:00.000Z");
  });
});
