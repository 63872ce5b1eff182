// npm run bench — import and metric speed against hand-written baselines measured in the same run.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, queryRows, type Db } from "../lib/db/client";
import { getTeamByKey } from "../lib/db/queries/teams";
import { env } from "../lib/env";
import { computeMetric, type MetricWindow } from "../lib/metrics/load";
import { FLOW_METRICS } from "../lib/metrics/params";
import { loadDemo } from "../lib/demo/load";
import { addDays, localDate } from "../lib/time/calendar";
import { baselineQuery, factBaselineQuery } from "./baselines";
import { scaleDatabase, teamsToReport } from "./scale";
import { writeBenchHistory } from "./generate";
import { benchDashboard, webTable } from "./page";
import { benchSync } from "./sync";

const TEAMS = 10;
const ITEMS_PER_TEAM = 10_000;
const RUNS = 7;
const NOW = new Date();
const OUT = path.resolve("bench/out");

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The machine's CPU times from /proc/stat (null where there is none): all, and stolen by the hypervisor. */
function cpuTimes(): { total: number; steal: number } | null {
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is counted in user already).
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

function stolenShare(from: ReturnType<typeof cpuTimes>, to: ReturnType<typeof cpuTimes>): number | null {
  if (!from || !to || to.total <= from.total) return null;
  return (to.steal - from.steal) / (to.total - from.total);
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: plans and caches, as in a running app
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const lines: string[] = [];
const say = (line = "") => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

async function main() {
  const serverUrl = env().DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = "/throughline_bench";
  // The import and the sync start from an empty database of their own; the other modes leave it be.
  const resetBenchDatabase = async () => {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe("drop database if exists throughline_bench with (force)");
    await admin.unsafe("create database throughline_bench");
    await admin.end();
  };

  say(`# Throughline benchmark — ${NOW.toISOString().slice(0, 10)}`);
  say();
  say(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`);
  say();
  const cpuAtStart = cpuTimes();

  // `npm run bench -- --web-only`: only the page and load runs, printed (RESULTS.md is left as it is).
  if (process.argv.includes("--web-only")) {
    await webSection();
    return;
  }
  // `npm run bench -- --teams N`: only the metrics at 1 team and at N teams, printed.
  const teamsArg = process.argv.indexOf("--teams");
  const scaleTeams = teamsArg >= 0 ? Number(process.argv[teamsArg + 1]) : 100;
  if (!Number.isInteger(scaleTeams) || scaleTeams < 1) throw new Error("--teams takes a whole number of teams (e.g. --teams 100)");
  if (teamsArg >= 0) {
    await scaleSection(serverUrl, 1);
    if (scaleTeams > 1) await scaleSection(serverUrl, scaleTeams);
    return;
  }
  // `npm run bench -- --sync-only`: only the tracker sync, printed.
  if (process.argv.includes("--sync-only")) {
    await resetBenchDatabase();
    await syncSection(benchUrl.toString());
    return;
  }

  await resetBenchDatabase();
  // 1. Generate the histories.
  fs.mkdirSync(OUT, { recursive: true });
  const files: string[] = [];
  let transitions = 0;
  for (let t = 0; t < TEAMS; t++) {
    const file = path.join(OUT, `bench-${String(t + 1).padStart(2, "0")}.ndjson`);
    transitions += await writeBenchHistory(file, { team: `bench-${String(t + 1).padStart(2, "0")}`, items: ITEMS_PER_TEAM, now: NOW, seed: t + 1 });
    files.push(file);
  }

  // 2. Our import, in its own process so its peak RSS is its own.
  const child = execFileSync(process.execPath, ["--conditions=react-server", "--import", import.meta.resolve("tsx"), "bench/import-child.ts", ...files], {
    env: { ...process.env, DATABASE_URL: benchUrl.toString() },
    maxBuffer: 1 << 20,
  });
  const imported = JSON.parse(child.toString().trim().split("\n").at(-1)!) as { ms: number; transitions: number; maxRssMb: number };

  // 3. Baseline: COPY of the very rows our import stored into identical tables (indexes included).
  const sql = postgres(benchUrl.toString(), { max: 1, onnotice: () => {} });
  // The day-level and blocked facts the import keeps are rows it stored too.
  const stored = ["work_items", "transitions", "blocks", "day_status_facts", "day_wip_facts", "item_blocked_facts"];
  await sql.unsafe(`create schema baseline; ${stored.map((t) => `create table baseline.${t} (like public.${t} including all);`).join("\n")}`);
  // Server-side files: the baseline pays no client transfer at all, the most favourable COPY there is.
  const dump = (table: string) => `/tmp/throughline-bench-${table}.copy`;
  for (const table of stored) await sql.unsafe(`copy public.${table} to '${dump(table)}'`);
  const copyStarted = performance.now();
  await sql.begin(async (tx) => {
    for (const table of stored) await tx.unsafe(`copy baseline.${table} from '${dump(table)}'`);
  });
  const copyMs = performance.now() - copyStarted;
  await sql.end();

  say(`## Import: ${ITEMS_PER_TEAM * TEAMS} items, ${imported.transitions} transitions (${TEAMS} NDJSON files), Postgres`);
  say();
  say("| what | time | ratio to COPY | target |");
  say("|---|---|---|---|");
  say(`| raw COPY of the same rows (baseline) | ${(copyMs / 1000).toFixed(2)} s | 1.00 | |`);
  say(`| throughline import (parse, validate, derive, upsert) | ${(imported.ms / 1000).toFixed(2)} s | ${(imported.ms / copyMs).toFixed(2)} | ≤ 2.00 |`);
  say();
  say(`Peak RSS of the importing process: ${Math.round(imported.maxRssMb)} MB (target < 1024 MB). Generated ${transitions} transitions.`);
  say();
  // `npm run bench -- --import-only`: steps 1–3 only, printed (RESULTS.md is left as it is).
  if (process.argv.includes("--import-only")) {
    fs.rmSync(OUT, { recursive: true, force: true });
    return;
  }

  // 4. Metrics on Postgres, one team over 12 months. The import's million rows are vacuumed
  // first, as autovacuum soon would: else it does so while the metrics below are being timed.
  const vacuum = postgres(benchUrl.toString(), { max: 1, onnotice: () => {} });
  await vacuum.unsafe("vacuum analyze");
  await vacuum.end();
  const pg = await openDatabase({ url: benchUrl.toString(), max: 2, migrate: false });
  say(`## Metrics on Postgres: one team, ${ITEMS_PER_TEAM} items, 12 months`);
  say();
  await metricTable(pg.db, "bench-01", true, 50);
  await pg.close();

  // 4b. Metrics at scale: one team, then a hundred.
  await scaleSection(serverUrl, 1);
  await scaleSection(serverUrl, scaleTeams);

  // 5. Metrics on PGlite with the demo data.
  const lite = await openDatabase({ dataDir: "memory://" });
  await loadDemo(lite.db, { seed: 42, now: NOW });
  say(`## Metrics on PGlite (embedded), demo data: team payments, 12 months`);
  say();
  await metricTable(lite.db, "payments", false, 30);
  await lite.close();

  // 6. A tracker sync from a local Jira that answers at once.
  await syncSection(benchUrl.toString());

  // 7. The dashboard page in a browser, and load on `next start`.
  await webSection();

  // On a shared virtual machine another guest may take the CPU mid-run: say how much it took.
  const stolen = stolenShare(cpuAtStart, cpuTimes());
  if (stolen !== null) lines.splice(4, 0, `CPU time taken by the hypervisor for other guests during the run (steal): ${(stolen * 100).toFixed(1)}% — timings vary with it, ratios less.`, "");
  fs.writeFileSync(path.resolve("bench/RESULTS.md"), `${lines.join("\n")}\n`);
  fs.rmSync(OUT, { recursive: true, force: true });
}

/** A full and an incremental sync of a Jira source: how fast we are when the tracker is not the limit. */
async function syncSection(databaseUrl: string) {
  const { full, incremental, issues, histories } = await benchSync(databaseUrl, NOW);
  const rate = (run: { ms: number; mapped: number }) => Math.round(run.mapped / (run.ms / 1000));
  say(`## Tracker sync: ${issues} Jira issues with ${histories} changelog entries from a local site that answers at once, Postgres`);
  say();
  say("| what | time | items/s | peak RSS | target |");
  say("|---|---|---|---|---|");
  say(`| first sync of the source (${full.fetched} fetched, ${full.stored} stored) | ${(full.ms / 1000).toFixed(2)} s | ${rate(full)} | ${Math.round(full.maxRssMb)} MB | ≥ 2000 items/s |`);
  say(`| incremental sync, nothing changed (${incremental.fetched} fetched, ${incremental.unchanged} re-derived unchanged) | ${(incremental.ms / 1000).toFixed(2)} s | ${rate(incremental)} | ${Math.round(incremental.maxRssMb)} MB | ≥ 2000 items/s |`);
  say();
  say("Each sync runs in its own process (peak RSS is its own); items/s counts every item of the source.");
  say();
}

/** The dashboard page in a browser, served by `next start` on the embedded demo database, and its load. */
async function webSection() {
  for (const line of webTable(await benchDashboard())) say(line);
}

/** Every metric of a small, the median and the largest team of a database of `teams` teams. */
async function scaleSection(serverUrl: string, teams: number) {
  const scale = await scaleDatabase(serverUrl, teams, NOW);
  const items = scale.teams.reduce((n, t) => n + t.items, 0);
  say(`## Metrics on Postgres at scale: ${teams} team${teams === 1 ? "" : "s"}, ${items} items, ${scale.transitions} transitions, 12 months`);
  say();
  say(
    scale.builtSeconds === null
      ? "The database was kept from an earlier run of the same day (built with COPY, day-level facts by the import's rebuild)."
      : `Built in ${scale.builtSeconds.toFixed(0)} s with COPY; day-level facts by the import's rebuild.`,
  );
  say("Baselines: the hand-written SQL of the table above; for wip and cfd, single statements over the same day-level facts; for blockers, over the same blocked facts.");
  say();
  say("| team | metric | throughline | baseline | ratio | target |");
  say("|---|---|---|---|---|---|");
  const pg = await openDatabase({ url: scale.url, max: 7, migrate: false });
  try {
    for (const { label, key, items: teamItems } of teamsToReport(scale.teams)) {
      const team = (await getTeamByKey(pg.db, key))!;
      const to = localDate(NOW, team.timezone);
      const window: MetricWindow = { team, asOf: NOW, from: addDays(to, -364), to };
      const params = { teamId: team.id, tz: team.timezone, asOf: NOW.toISOString(), from: window.from, to: window.to };
      const baseline = (metric: (typeof FLOW_METRICS)[number]) =>
        metric === "wip" || metric === "cfd" || metric === "blockers" ? factBaselineQuery(metric, params) : baselineQuery(metric, params);
      const name = `${label} (${teamItems} items)`;
      for (const metric of FLOW_METRICS) {
        const ours = await timeIt(() => computeMetric(pg.db, metric, window));
        const base = await timeIt(() => queryRows(pg.db, baseline(metric)));
        say(`| ${name} | ${metric} | ${fmt(ours)} | ${fmt(base)} | ${(ours / base).toFixed(2)} | < 50 ms |`);
      }
      // The dashboard asks its seven questions at once, over a pool of seven connections.
      const ours = await timeIt(() => Promise.all(FLOW_METRICS.map((metric) => computeMetric(pg.db, metric, window))));
      const base = await timeIt(() => Promise.all(FLOW_METRICS.map((metric) => queryRows(pg.db, baseline(metric)))));
      say(`| ${name} | whole dashboard (7 at once) | ${fmt(ours)} | ${fmt(base)} | ${(ours / base).toFixed(2)} | < 150 ms |`);
    }
  } finally {
    await pg.close();
  }
  say();
}

async function metricTable(db: Db, teamKey: string, withBaseline: boolean, targetMs: number) {
  const team = (await getTeamByKey(db, teamKey))!;
  const to = localDate(NOW, team.timezone);
  const window: MetricWindow = { team, asOf: NOW, from: addDays(to, -364), to };
  say(withBaseline ? "| metric | throughline | hand-written SQL | ratio | target |" : "| metric | throughline | target |");
  say(withBaseline ? "|---|---|---|---|---|" : "|---|---|---|");
  for (const metric of FLOW_METRICS) {
    const ours = await timeIt(() => computeMetric(db, metric, window));
    if (withBaseline) {
      const query = baselineQuery(metric, { teamId: team.id, tz: team.timezone, asOf: NOW.toISOString(), from: window.from, to: window.to });
      const base = await timeIt(() => queryRows(db, query));
      say(`| ${metric} | ${fmt(ours)} | ${fmt(base)} | ${(ours / base).toFixed(2)} | ≤ 1.5× and < ${targetMs} ms |`);
    } else {
      say(`| ${metric} | ${fmt(ours)} | < ${targetMs} ms |`);
    }
  }
  say();
}

await main();
