// `npm run bench -- --teams N`: the metrics of a small, the median and the largest team in a
// database of N teams (10,000 items a team on average, ~10 transitions an item), built once
// with COPY and kept between runs, so the cost's growth with the database is visible.
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { copyWriter, CopyRows, type CopyColumn } from "../lib/db/copy";
import { migrationsFolder, openDatabase, queryRows, type Db } from "../lib/db/client";
import { refreshBlockedFacts } from "../lib/ingest/blocked-facts";
import { rebuildDayFacts } from "../lib/ingest/day-facts";
import { BLOCK_COLUMNS, TRANSITION_COLUMNS } from "../lib/ingest/history";
import { deriveTransitionFacts } from "../lib/metrics/compute/item-facts";
import { seededRandom } from "../lib/metrics/compute/random";
import { workflowOf } from "../lib/metrics/compute/workflow";
import { BENCH_WORKFLOW } from "./generate";

/** Bump when the generated data changes: a kept database of another version is rebuilt. */
const GENERATOR_VERSION = 3;
const MEAN_ITEMS = 10_000;
const TIMEZONE = "Europe/Berlin";
const HOUR = 3_600_000;
const PATH = ["Backlog", "Ready", "In Progress", "Blocked", "In Progress", "Review", "In Progress", "Review", "Done", "Released"];

/**
 * Team sizes from a tenth of the mean to 1.9 times it, evenly: the median team has the mean's
 * 10,000 items and the database the mean times N. One team: the mean.
 */
export function teamSizes(teams: number): number[] {
  if (teams === 1) return [MEAN_ITEMS];
  return Array.from({ length: teams }, (_, i) => Math.round(MEAN_ITEMS * (0.1 + (1.8 * i) / (teams - 1))));
}

const ITEM_COLUMNS: CopyColumn[] = [
  { name: "id", type: "int8" },
  { name: "team_id", type: "int4" },
  { name: "key", type: "text" },
  { name: "title", type: "text" },
  { name: "type", type: "text" },
  { name: "created_at", type: "timestamptz" },
  { name: "content_hash", type: "text" },
  { name: "first_transition_at", type: "timestamptz" },
];
export interface ScaleDatabase {
  url: string;
  teams: { key: string; items: number }[];
  transitions: number;
  /** Seconds it took to build, or null when an earlier run's database was kept. */
  builtSeconds: number | null;
}

/**
 * The database of `teams` teams, created and filled unless a kept one of the same generator
 * version, size and day is there. Items start over the 12 months up to `now`; recent ones are
 * still in progress at `now`, so every metric has work at as_of.
 */
export async function scaleDatabase(serverUrl: string, teams: number, now: Date): Promise<ScaleDatabase> {
  const url = new URL(serverUrl);
  url.pathname = `/throughline_scale_${teams}`;
  const sizes = teamSizes(teams);
  // The schema too: a database kept from before a migration is rebuilt with it.
  const tag = `${GENERATOR_VERSION}:${teams}:${now.toISOString().slice(0, 10)}:${latestMigration()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${url.pathname.slice(1)}`;
    if (exists.length > 0) {
      const kept = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const [row] = await kept.unsafe(`select obj_description('public.teams'::regclass, 'pg_class') as tag`).catch(() => [undefined]);
        if ((row as { tag?: string } | undefined)?.tag === tag) {
          const [{ n }] = (await kept`select count(*)::float8 as n from transitions`) as unknown as [{ n: number }];
          return { url: url.toString(), teams: sizes.map((items, i) => ({ key: teamKey(i), items })), transitions: n, builtSeconds: null };
        }
      } finally {
        await kept.end();
      }
    }
    await admin.unsafe(`drop database if exists ${url.pathname.slice(1)} with (force)`);
    await admin.unsafe(`create database ${url.pathname.slice(1)}`);
  } finally {
    await admin.end();
  }

  const started = performance.now();
  const database = await openDatabase({ url: url.toString(), max: 2, migrate: true });
  const db = database.db;
  let transitions = 0;
  try {
    const workflow = workflowOf(BENCH_WORKFLOW.map((s) => ({ name: s.status, category: s.category as "todo", blocked: s.blocked ?? false, discarded: s.discarded ?? false })));
    let nextItemId = 1;
    for (const [t, items] of sizes.entries()) {
      const key = teamKey(t);
      const random = seededRandom(1000 + t);
      await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        const [team] = await queryRows<{ id: number }>(tx, sql`insert into teams (key, name, timezone) values (${key}, ${key}, ${TIMEZONE}) returning id`);
        const teamId = team!.id;
        await tx.execute(sql`insert into workflow_statuses (team_id, name, position, category, blocked, discarded)
          select ${teamId}, s.name, s.position, s.category::status_category, s.blocked, s.discarded
          from json_to_recordset(${JSON.stringify(BENCH_WORKFLOW.map((s, position) => ({ name: s.status, position, category: s.category, blocked: s.blocked ?? false, discarded: s.discarded ?? false })))}::json)
            as s(name text, position int, category text, blocked boolean, discarded boolean)`);
        const copy = copyWriter(db, tx)!;
        const itemRows = new CopyRows(ITEM_COLUMNS);
        let transitionRows = new CopyRows(TRANSITION_COLUMNS);
        let pending = 0;
        const blockRows = new CopyRows(BLOCK_COLUMNS);
        const end = now.getTime();
        const start = end - 365 * 24 * HOUR;
        for (let i = 0; i < items; i++) {
          const id = nextItemId++;
          let at = start + random() * (end - start - 24 * HOUR);
          const created = at;
          const steps: { at: Date; to: string }[] = [];
          for (const to of PATH) {
            at += (1 + random() * (to === "Blocked" ? 30 : 20)) * HOUR;
            if (at > end) break;
            steps.push({ at: new Date(Math.round(at / 60_000) * 60_000), to });
          }
          const type = random() < 0.7 ? "story" : "bug";
          const facts = deriveTransitionFacts(steps, workflow);
          itemRows.add([id, teamId, `${key}-${i + 1}`, `Item ${i + 1}`, type, new Date(created), "bench", facts[0]?.at ?? null]);
          for (const f of facts) {
            transitionRows.add([id, f.seq, teamId, f.at, f.until, f.fromStatus, f.status, f.category, f.blocked, f.discarded, f.startedAt, f.finishedAt, f.reopened, f.movedBackwards]);
          }
          pending += facts.length;
          transitions += facts.length;
          if (random() < 0.1 && steps.length > 4) blockRows.add([id, teamId, steps[3]!.at, steps[4]!.at, "waiting"]);
          if (pending >= 100_000) {
            await copy("transitions", transitionRows);
            transitionRows = new CopyRows(TRANSITION_COLUMNS);
            pending = 0;
          }
        }
        await copy("work_items", itemRows);
        if (pending > 0) await copy("transitions", transitionRows);
        await copy("blocks", blockRows);
        // The facts every import keeps, built by the code a rebuild runs.
        await rebuildDayFacts(tx, teamId, TIMEZONE);
        await refreshBlockedFacts(tx, teamId, null, copy);
      });
      if ((t + 1) % 10 === 0) process.stdout.write(`  built ${t + 1}/${teams} teams (${transitions} transitions)\n`);
    }
    await db.execute(sql`select setval('work_items_id_seq', ${nextItemId})`);
    // As autovacuum would, before any metric is timed on it.
    await db.execute(sql`vacuum analyze`);
    await db.execute(sql.raw(`comment on table public.teams is '${tag}'`));
  } finally {
    await database.close();
  }
  return { url: url.toString(), teams: sizes.map((items, i) => ({ key: teamKey(i), items })), transitions, builtSeconds: (performance.now() - started) / 1000 };
}

function latestMigration(): string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), "meta/_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  const last = journal.entries[journal.entries.length - 1]!;
  return `${last.tag}@${last.when}`;
}

function teamKey(i: number): string {
  return `scale-${String(i + 1).padStart(3, "0")}`;
}

/** The small team (the tenth smallest of 100, the smallest of fewer), the median and the largest. */
export function teamsToReport(teams: { key: string; items: number }[]): { label: string; key: string; items: number }[] {
  const sorted = [...teams].sort((a, b) => a.items - b.items);
  if (sorted.length === 1) return [{ label: "the only team", ...sorted[0]! }];
  const small = sorted[Math.floor(sorted.length / 10)]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const largest = sorted[sorted.length - 1]!;
  return [
    { label: "small", ...small },
    { label: "median", ...median },
    { label: "largest", ...largest },
  ];
}
