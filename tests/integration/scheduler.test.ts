// Scheduled imports through pg-boss: a schedule fires and imports; two workers run a due job once;
// a failing source is retried with backoff, then recorded as failed with nothing stored.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "../../lib/db/client";
import { importRuns, importSchedules } from "../../lib/db/schema";
import type { SourcePolicy } from "../../lib/connectors/kpi-feed";
import { insertSource, listSyncRuns } from "../../lib/db/queries/sources";
import { startScheduler, SYNC_QUEUE, type Scheduler } from "../../lib/jobs/scheduler";
import { CONFIG_JQL, EMAIL, startFakeJira, TOKEN } from "../helpers/fake-jira";
import { engines, uniqueKey } from "../helpers/db";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-jobs-"));
// The tests' sources: files in their own import folder, URLs on this machine's loopback.
const policy: SourcePolicy = { importDir: tmp, allow: ["127.0.0.1"], maxBytes: 1024 * 1024, timeoutMs: 10_000 };

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const runsOf = (database: Database, scheduleId: number) => database.db.select().from(importRuns).where(eq(importRuns.scheduleId, scheduleId)).orderBy(importRuns.id);
const pointsOf = async (database: Database, kpi: string) =>
  (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from kpi_points p join kpis k on k.id = p.kpi_id where k.key = ${kpi}`))[0]!.n;

describe.each(engines())("scheduled imports on $name", (engine) => {
  const open: { database?: Database; schedulers: Scheduler[] }[] = [];
  afterAll(async () => {
    for (const o of open) {
      for (const s of o.schedulers) await s.stop();
      await o.database?.close();
    }
  });

  async function setup(extra = 0) {
    const database = await engine.open();
    const entry = { database, schedulers: [] as Scheduler[] };
    open.push(entry);
    const others = await Promise.all(Array.from({ length: extra }, () => engine.open()));
    return { database, entry, others };
  }

  it("fires a cron schedule and imports, once even with two workers on the database", { timeout: 150_000 }, async () => {
    const { database, entry } = await setup();
    const kpi = uniqueKey("sched");
    const file = path.join(tmp, `${kpi}.csv`);
    fs.writeFileSync(file, `kpi,date,value\n${kpi},2026-05-01,10\n${kpi},2026-05-02,11\n`);
    const [schedule] = await database.db.insert(importSchedules).values({ name: kpi, cron: "* * * * *", timezone: "Europe/Berlin", sourceKind: "file", source: file, aggregation: "last" }).returning();
    // Two workers against one database (on PGlite, two queues in one process share its single connection).
    const second = engine.name === "postgres" ? await engine.open() : database;
    if (second !== database) open.push({ database: second, schedulers: [] });
    for (const db of [database, second]) entry.schedulers.push(await startScheduler(db, { cronWorkerIntervalSeconds: 1, pollingIntervalSeconds: 0.5, policy, trackerPolicy: policy }));
    const runs = await until("the scheduled run", async () => {
      const r = await runsOf(database, schedule!.id);
      return r.some((x) => x.status === "succeeded") && r;
    }, 140_000);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await runsOf(database, schedule!.id)).filter((r) => r.status === "succeeded")).toHaveLength(1);
    expect(runs[0]!.counts).toMatchObject({ points: 2, changed: 2 });
    expect(await pointsOf(database, kpi)).toBe(2);
  });

  // Two connections to one database need the server (PGlite is one connection in one process).
  if (engine.name === "postgres") {
  it("runs a job sent once exactly once across two workers", async () => {
    const { database, entry, others } = await setup(1);
    open.push({ database: others[0], schedulers: [] });
    const kpi = uniqueKey("once");
    const file = path.join(tmp, `${kpi}.csv`);
    fs.writeFileSync(file, `kpi,date,value\n${kpi},2026-05-01,1\n`);
    const [schedule] = await database.db.insert(importSchedules).values({ name: kpi, cron: "0 3 * * *", sourceKind: "file", source: file }).returning();
    const a = await startScheduler(database, { pollingIntervalSeconds: 0.5, policy, trackerPolicy: policy });
    const b = await startScheduler(others[0]!, { pollingIntervalSeconds: 0.5, policy, trackerPolicy: policy });
    entry.schedulers.push(a, b);
    await a.runNow(schedule!.id);
    await until("the run", async () => (await runsOf(database, schedule!.id)).length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await runsOf(database, schedule!.id)).toHaveLength(1);
  });

  it("an app instance that runs no jobs (THROUGHLINE_SCHEDULER=off) still mirrors its schedules and queues run-now for the workers", async () => {
    const { database, entry, others } = await setup(1);
    open.push({ database: others[0], schedulers: [] });
    const kpi = uniqueKey("client");
    const file = path.join(tmp, `${kpi}.csv`);
    fs.writeFileSync(file, `kpi,date,value\n${kpi},2026-05-01,1\n`);
    const worker = await startScheduler(others[0]!, { pollingIntervalSeconds: 0.5, policy, trackerPolicy: policy });
    const app = await startScheduler(database, { work: false, timekeeping: false, policy, trackerPolicy: policy });
    entry.schedulers.push(worker, app);
    const [schedule] = await database.db.insert(importSchedules).values({ name: kpi, cron: "0 3 * * *", sourceKind: "file", source: file }).returning();
    await app.sync();
    expect((await worker.boss.getSchedules("kpi-import")).find((x) => x.key === String(schedule!.id))).toMatchObject({ cron: "0 3 * * *" });
    await app.runNow(schedule!.id);
    const [run] = await until("the worker's run", async () => {
      const r = await runsOf(database, schedule!.id);
      return r.length > 0 && r;
    }, 30_000);
    expect(run).toMatchObject({ status: "succeeded" });
  });

  it("a worker picks up a schedule added where no scheduler runs (the CLI), without a restart", async () => {
    const { database, entry } = await setup();
    const worker = await startScheduler(database, { resyncSeconds: 1, pollingIntervalSeconds: 0.5, policy, trackerPolicy: policy });
    entry.schedulers.push(worker);
    const kpi = uniqueKey("cli");
    const [schedule] = await database.db.insert(importSchedules).values({ name: kpi, cron: "15 4 * * *", sourceKind: "file", source: path.join(tmp, `${kpi}.csv`) }).returning();
    const found = await until("the mirrored schedule", async () => (await worker.boss.getSchedules("kpi-import")).find((x) => x.key === String(schedule!.id)), 10_000);
    expect(found).toMatchObject({ cron: "15 4 * * *", data: { scheduleId: schedule!.id } });
    await database.db.update(importSchedules).set({ enabled: false }).where(eq(importSchedules.id, schedule!.id));
    await until("the schedule gone", async () => !(await worker.boss.getSchedules("kpi-import")).some((x) => x.key === String(schedule!.id)), 10_000);
  });
  }

  it("keeps a cron schedule per tracker source that has one, and a queued sync runs it through the connector", { timeout: 60_000 }, async () => {
    const jira = await startFakeJira();
    try {
      process.env.THROUGHLINE_SECRET_SCHEDULED_JIRA = TOKEN;
      const { database, entry } = await setup();
      const settings = { siteUrl: jira.url, email: EMAIL, jql: CONFIG_JQL };
      const timed = await insertSource(database.db, { name: uniqueKey("cron"), kind: "jira", teamKey: uniqueKey("sched"), settings, secretEnv: "THROUGHLINE_SECRET_SCHEDULED_JIRA", cron: "*/30 * * * *", timezone: "Europe/Berlin" });
      await insertSource(database.db, { name: uniqueKey("manual"), kind: "jira", teamKey: uniqueKey("sched"), settings, secretEnv: "THROUGHLINE_SECRET_SCHEDULED_JIRA" });
      const scheduler = await startScheduler(database, { pollingIntervalSeconds: 0.5, policy, trackerPolicy: policy });
      entry.schedulers.push(scheduler);
      // Only the source with a cron (the shared test database may hold other runs' sources).
      const schedules = (await scheduler.boss.getSchedules(SYNC_QUEUE)).filter((x) => x.key === String(timed.id) || x.key === String(timed.id + 1));
      expect(schedules.map((x) => [x.key, x.cron, x.options?.tz ?? (x as { timezone?: string }).timezone])).toEqual([[String(timed.id), "*/30 * * * *", "Europe/Berlin"]]);
      await scheduler.boss.send(SYNC_QUEUE, { sourceId: timed.id });
      const [run] = await until("the sync", async () => {
        const done = (await listSyncRuns(database.db, timed.id)).filter((r) => r.status !== "running");
        return done.length > 0 ? done : null;
      }, 30_000);
      expect(run).toMatchObject({ status: "succeeded" });
      expect(run!.counts!.mapped).toBeGreaterThan(0);
    } finally {
      await jira.close();
    }
  });

  it("retries a failing source with backoff, then records it failed and stores nothing", { timeout: 60_000 }, async () => {
    const { database, entry } = await setup();
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(503).end("down");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const kpi = uniqueKey("fail");
      const [schedule] = await database.db
        .insert(importSchedules)
        .values({ name: kpi, cron: "0 3 * * *", sourceKind: "url", source: `http://127.0.0.1:${port}/${kpi}.csv` })
        .returning();
      const scheduler = await startScheduler(database, { retryLimit: 2, retryDelay: 1, pollingIntervalSeconds: 0.5, policy, trackerPolicy: policy });
      entry.schedulers.push(scheduler);
      const jobId = await scheduler.runNow(schedule!.id);
      const runs = await until("three failed attempts", async () => {
        const r = await runsOf(database, schedule!.id);
        // The third attempt's run is recorded before its fetch fails: wait for it to finish.
        return r.length >= 3 && r.every((x) => x.status !== "running") && r;
      }, 50_000);
      expect(runs.map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
      expect(runs[0]!.error).toMatch(/answered 503/);
      expect(hits).toBe(3);
      const job = await until("the job to fail", async () => {
        const j = await scheduler.boss.getJobById("kpi-import", jobId!);
        return j?.state === "failed" && j;
      }, 20_000);
      expect(job.retryCount).toBe(2);
      expect(await pointsOf(database, kpi)).toBe(0);
    } finally {
      server.close();
    }
  });
});
