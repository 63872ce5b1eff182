// One sync of a source at a time, on both engines: a second sync while one runs is refused with
// SYNC_RUNNING before it writes anything (also from another connection pool, as from another
// process), an expired lease is taken over, a lost lease stops its sync, and the scheduler skips.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MappedRecord, TrackerConnector, TrackerStatus } from "../../lib/connectors/tracker";
import type { Database } from "../../lib/db/client";
import { claimSyncRun as claimRunRow, getSourceByName, insertSource, listSourceRecords, listSyncRuns } from "../../lib/db/queries/sources";
import { syncRuns } from "../../lib/db/schema";
import { syncSource, type SyncTarget } from "../../lib/ingest/sync";
import { claimSyncRun } from "../../lib/ingest/sync-lock";
import { startScheduler, SYNC_QUEUE } from "../../lib/jobs/scheduler";
import { rejection } from "../helpers/connectors";
import { engines, teamFootprint, uniqueKey } from "../helpers/db";

const STATUSES: TrackerStatus[] = [
  { id: "1", name: "To Do", suggested: "todo" },
  { id: "3", name: "In Progress", suggested: "in_progress" },
  { id: "10001", name: "Done", suggested: "done" },
];
const NAMES: Record<string, string> = { "1": "To Do", "3": "In Progress", "10001": "Done" };
const ITEMS = [1, 2, 3].map((n) => ({
  id: `id-${n}`,
  key: `LK-${n}`,
  updatedAt: `2026-03-0${n}T10:00:00Z`,
  transitions: [
    { at: `2026-02-0${n}T09:00:00Z`, statusId: "1", name: NAMES["1"]! },
    { at: `2026-02-1${n}T09:00:00Z`, statusId: "3", name: NAMES["3"]! },
  ],
}));

const map = (payload: unknown): MappedRecord => {
  const i = payload as (typeof ITEMS)[number];
  return { ok: true, item: { key: i.key, title: i.key, type: "story", created_at: i.transitions[0]!.at, url: null, milestone: null, transitions: i.transitions, blocks: [] }, milestones: [], cleaned: [] };
};

/** A tracker that serves its first page, then waits for `release()` before the second. */
function gatedTracker() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const record = (i: (typeof ITEMS)[number]) => ({ id: i.id, updatedAt: i.updatedAt, payload: structuredClone(i) });
  const connector: TrackerConnector = {
    kind: "jira",
    testConnection: async () => ({ description: "fake" }),
    listStatuses: async () => structuredClone(STATUSES),
    listIds: async () => new Set(ITEMS.map((i) => i.id)),
    fetchPages: async function* () {
      yield { records: ITEMS.slice(0, 2).map(record), cursor: { offset: 2 } };
      await gate;
      yield { records: ITEMS.slice(2).map(record), cursor: null };
    },
  };
  return { target: { connector, map } satisfies SyncTarget, release };
}

describe.each(engines())("one sync of a source at a time on $name", (engine) => {
  let database: Database;
  /** Another pool on the same database (Postgres): what another process would use. PGlite has one process. */
  let other: Database;
  beforeAll(async () => {
    database = await engine.open();
    other = engine.name === "postgres" ? await engine.open() : database;
  });
  afterAll(async () => {
    if (other !== database) await other?.close();
    await database?.close();
  });

  async function source() {
    const name = uniqueKey("lock");
    // A Jira kind with a loopback site nobody serves: the scheduler's connector must never reach it.
    const row = await insertSource(database.db, { name, kind: "jira", teamKey: uniqueKey("lockteam"), settings: { siteUrl: "http://127.0.0.1:9", email: "lock@example.com", jql: "project = LK" }, secretEnv: "THROUGHLINE_SECRET_TEST_LOCK" });
    return { row, name, fresh: async () => (await getSourceByName(database.db, name))! };
  }

  it("refuses a second sync while one runs, from either connection pool, and the first completes alone", async () => {
    const a = await source();
    const { target, release } = gatedTracker();
    const first = syncSource(database.db, await a.fresh(), target);
    const second = (async () => {
      // Until the first holds the source (its first page stored), then a second sync from elsewhere.
      while ((await listSourceRecords(database.db, a.row.id)).length === 0) await new Promise((r) => setTimeout(r, 10));
      return syncSource(other.db, await a.fresh(), gatedTracker().target, { full: true });
    })();
    const refused = await rejection(second);
    release();
    expect(refused.code).toBe("SYNC_RUNNING");
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(new RegExp(`^source ${a.name} is already syncing since \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z \\(run \\d+\\)`));
    const done = await first;
    expect(done.counts).toMatchObject({ fetched: 3, mapped: 3, stored: 3 });
    // The refused sync left no run and wrote nothing: one run, and the store of one sync alone.
    const runs = await listSyncRuns(database.db, a.row.id);
    expect(runs.map((r) => r.status)).toEqual(["succeeded"]);
    const b = await source();
    const alone = gatedTracker();
    alone.release();
    await syncSource(database.db, await b.fresh(), alone.target);
    const { teams: _a, ...heldA } = await teamFootprint(database.db, a.row.teamKey);
    const { teams: _b, ...heldB } = await teamFootprint(database.db, b.row.teamKey);
    expect(heldA).toEqual(heldB);
    // Free again once the first has finished.
    const again = gatedTracker();
    again.release();
    await expect(syncSource(other.db, await a.fresh(), again.target)).resolves.toMatchObject({ counts: { mapped: 3 } });
  });

  it("takes over a run whose lease expired (its process was killed) and records that run failed as abandoned", async () => {
    const a = await source();
    const held = await claimRunRow(database.db, a.row.id, false, 60_000);
    if (!held.ok) throw new Error("expected the claim");
    const free = gatedTracker();
    free.release();
    expect((await rejection(syncSource(database.db, await a.fresh(), free.target))).code).toBe("SYNC_RUNNING");
    // The holder died a while ago: its lease ran out.
    await database.db.update(syncRuns).set({ leaseUntil: sql`now() - interval '1 second'` }).where(eq(syncRuns.id, held.runId));
    const summary = await syncSource(other.db, await a.fresh(), free.target);
    expect(summary.counts).toMatchObject({ mapped: 3, stored: 3 });
    const runs = await listSyncRuns(database.db, a.row.id);
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [summary.runId, "succeeded"],
      [held.runId, "failed"],
    ]);
    expect(runs[1]!.error).toMatch(/^abandoned: /);
    expect(runs[1]!.finishedAt).toBeInstanceOf(Date);
  });

  it("renews its lease while it runs, and a run that lost its lease is told to stop", async () => {
    const a = await source();
    const lease = await claimSyncRun(database.db, a.row, { full: false, leaseMs: 60_000, heartbeatMs: 20 });
    const leaseOf = async () => (await database.db.select({ at: syncRuns.leaseUntil }).from(syncRuns).where(eq(syncRuns.id, lease.runId)))[0]!.at!.getTime();
    const before = await leaseOf();
    await new Promise((r) => setTimeout(r, 150));
    expect(await leaseOf()).toBeGreaterThan(before);
    // Taken over meanwhile (as if its heartbeats had stopped reaching the database).
    await database.db.update(syncRuns).set({ status: "failed", error: "abandoned: test" }).where(eq(syncRuns.id, lease.runId));
    for (let i = 0; i < 100 && !lease.signal.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toMatchObject({ code: "SYNC_RUNNING" });
  });

  it("a scheduled sync that meets a running one completes as skipped, not failed and retried", { timeout: 60_000 }, async () => {
    process.env.THROUGHLINE_SECRET_TEST_LOCK = "token";
    const a = await source();
    const held = await claimRunRow(database.db, a.row.id, false, 60_000);
    if (!held.ok) throw new Error("expected the claim");
    const scheduler = await startScheduler(database, { pollingIntervalSeconds: 0.5, retryDelay: 1, trackerPolicy: { allow: ["127.0.0.1"], maxBytes: 1024 * 1024, timeoutMs: 1_000 } });
    try {
      const jobId = await scheduler.boss.send(SYNC_QUEUE, { sourceId: a.row.id });
      let job: Awaited<ReturnType<typeof scheduler.boss.getJobById>> = null;
      for (let i = 0; i < 200 && !["completed", "failed"].includes(job?.state ?? ""); i++) {
        await new Promise((r) => setTimeout(r, 100));
        job = await scheduler.boss.getJobById(SYNC_QUEUE, jobId!);
      }
      expect(job).toMatchObject({ state: "completed", retryCount: 0, output: { skipped: expect.stringContaining(`source ${a.name} is already syncing`) } });
      expect((await listSyncRuns(database.db, a.row.id)).map((r) => [r.id, r.status])).toEqual([[held.runId, "running"]]);
    } finally {
      await scheduler.stop();
    }
  });
});
