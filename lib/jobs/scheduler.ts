// The job queue behind scheduled imports: pg-boss on Postgres and on PGlite alike. Several app
// instances or `npm run worker` processes may run it against one database; a due job runs once.
import "server-only";
import { PgBoss, fromPglite } from "pg-boss";
import type { Database } from "../db/client";
import type { SourcePolicy } from "../connectors/kpi-feed";
import { trackerFor } from "../connectors";
import type { OutboundPolicy } from "../connectors/http/outbound";
import { listSources } from "../db/queries/sources";
import { AppError } from "../errors";
import { syncSource } from "../ingest/sync";
import { deliverDigest, deliveryOptionsFromEnv, listDueDeliveries, MAX_DELIVERY_ATTEMPTS, type DeliveryOptions } from "../services/digest";
import { systemContext } from "../services/entries-cli";
import { listSchedules, runScheduledImport } from "./scheduled-import";

export const IMPORT_QUEUE = "kpi-import";
/** Tracker syncs: one cron schedule per source that has one, keyed by the source's id. */
export const SYNC_QUEUE = "tracker-sync";
/** Weekly digests: a cron tick finds the due ones and queues one job per (subscription, week). */
export const DIGEST_TICK_QUEUE = "digest-tick";
export const DIGEST_QUEUE = "digest-delivery";
/** Every quarter hour: a digest set for 9:00 leaves by 9:15 (and one missed while down, at the next tick). */
export const DIGEST_TICK_CRON = "*/15 * * * *";

/** How often a scheduler mirrors the tables into pg-boss again, for changes made where none runs. */
export const RESYNC_SECONDS = 60;

export interface SchedulerOptions {
  /** Claim and run jobs here (false: only keep cron schedules in sync). */
  work?: boolean;
  /**
   * Fire cron schedules and run pg-boss's maintenance here (false, with work false: a client that
   * only mirrors schedules and queues runs, for an app instance that leaves the jobs to workers).
   */
  timekeeping?: boolean;
  /** Seconds between re-mirrorings of the schedule tables (default RESYNC_SECONDS; 0: only at start and on sync()). */
  resyncSeconds?: number;
  /** Seconds between retries; doubled each time (exponential backoff). */
  retryDelay?: number;
  retryLimit?: number;
  /** How often cron schedules are checked (pg-boss default 30 s). */
  cronWorkerIntervalSeconds?: number;
  pollingIntervalSeconds?: number;
  /** Where sources may be read from (default: from the environment). */
  policy?: SourcePolicy;
  /** What trackers may be reached (default: from the environment). */
  trackerPolicy?: OutboundPolicy;
  /** How digests are mailed and posted (default: from the environment). */
  digest?: DeliveryOptions;
}

export interface Scheduler {
  boss: PgBoss;
  /** Mirror the import_schedules table into pg-boss cron schedules. */
  sync(): Promise<void>;
  /** Queue a run of a schedule now ("run now"). */
  runNow(scheduleId: number): Promise<string | null>;
  /** Queue every due digest now (what the cron tick does). */
  tickDigests(): Promise<number>;
  stop(): Promise<void>;
}

export async function startScheduler(database: Database, options: SchedulerOptions = {}): Promise<Scheduler> {
  const timekeeping = options.timekeeping !== false;
  const timing = {
    ...(options.cronWorkerIntervalSeconds ? { cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds } : {}),
    ...(timekeeping ? {} : { schedule: false, supervise: false }),
  };
  const boss =
    database.engine === "pglite"
      ? new PgBoss({ db: fromPglite(database.pglite!), backend: "pglite", ...timing })
      : new PgBoss({ connectionString: database.url!, max: 3, ...timing });
  boss.on("error", (error: unknown) => console.error("scheduler:", error instanceof Error ? error.message : error));
  await boss.start();
  await boss.createQueue(IMPORT_QUEUE, { retryLimit: options.retryLimit ?? 3, retryDelay: options.retryDelay ?? 30, retryBackoff: true }).catch(() => {});
  await boss.updateQueue(IMPORT_QUEUE, { retryLimit: options.retryLimit ?? 3, retryDelay: options.retryDelay ?? 30, retryBackoff: true });
  // A failed sync keeps its cursor, so a retry resumes where it stopped.
  await boss.createQueue(SYNC_QUEUE, { retryLimit: options.retryLimit ?? 3, retryDelay: options.retryDelay ?? 30, retryBackoff: true }).catch(() => {});
  // "exclusive": one job per (subscription, week) queued, retrying or active, however many workers
  // tick. The delivery row's claim is what makes a send happen once; this only saves the work.
  const digestRetries = { retryLimit: options.retryLimit ?? MAX_DELIVERY_ATTEMPTS - 1, retryDelay: options.retryDelay ?? 60, retryBackoff: true };
  await boss.createQueue(DIGEST_QUEUE, { ...digestRetries, policy: "exclusive" }).catch(() => {});
  await boss.updateQueue(DIGEST_QUEUE, digestRetries);
  await boss.createQueue(DIGEST_TICK_QUEUE, { retryLimit: 0, policy: "exclusive" }).catch(() => {});
  await boss.schedule(DIGEST_TICK_QUEUE, DIGEST_TICK_CRON, {}, { tz: "UTC", key: "digest" });
  const tickDigests = async () => {
    const due = await listDueDeliveries(systemContext(database));
    for (const d of due) await boss.send(DIGEST_QUEUE, d, { singletonKey: `${d.subscriptionId}:${d.week}` });
    return due.length;
  };

  // pg-boss's schedule rows are in the database, shared by every process; this makes them match
  // the tables, writing only what differs, so any number of processes may run it at any time.
  const mirror = async (queue: string, wanted: Map<string, { cron: string; timezone: string; data: object }>) => {
    const existing = new Map((await boss.getSchedules(queue)).map((x) => [x.key, x]));
    for (const key of existing.keys()) if (!wanted.has(key)) await boss.unschedule(queue, key);
    for (const [key, w] of wanted) {
      const e = existing.get(key);
      const same = e && e.cron === w.cron && e.timezone === w.timezone && JSON.stringify(e.data) === JSON.stringify(w.data);
      if (!same) await boss.schedule(queue, w.cron, w.data, { tz: w.timezone, key });
    }
  };
  const sync = async () => {
    const schedules = (await listSchedules(database.db)).filter((s) => s.enabled);
    await mirror(IMPORT_QUEUE, new Map(schedules.map((s) => [String(s.id), { cron: s.cron, timezone: s.timezone, data: { scheduleId: s.id } }])));
    const sources = (await listSources(database.db)).filter((s) => s.cron);
    await mirror(SYNC_QUEUE, new Map(sources.map((s) => [String(s.id), { cron: s.cron!, timezone: s.timezone, data: { sourceId: s.id } }])));
  };
  await sync();
  // The CLI changes the tables and runs no scheduler: its schedules reach pg-boss here, within a
  // minute and without a restart. Cheap when nothing changed (two reads per queue).
  const resyncSeconds = options.resyncSeconds ?? RESYNC_SECONDS;
  const resync =
    timekeeping && resyncSeconds > 0
      ? setInterval(() => sync().catch((error: unknown) => console.error("scheduler: schedule sync failed:", error instanceof Error ? error.message : error)), resyncSeconds * 1000)
      : null;
  resync?.unref();

  if (options.work !== false) {
    await boss.work<{ scheduleId: number }>(IMPORT_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async ([job]) => {
      if (job) await runScheduledImport(database.db, job.data.scheduleId, options.policy);
    });
    await boss.work<{ sourceId: number }>(SYNC_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async ([job]) => {
      if (!job) return;
      const source = (await listSources(database.db)).find((s) => s.id === job.data.sourceId);
      // A source removed after its job was queued: nothing to do.
      if (!source) return;
      try {
        await syncSource(database.db, source, trackerFor(source, options.trackerPolicy));
      } catch (error) {
        // Another sync of this source (a "Sync now", the CLI, another worker) is doing this job's
        // work already: the job completes as skipped, with why in its output, rather than retrying
        // with backoff behind it and ending "failed"; the next cron tick syncs as usual.
        if (error instanceof AppError && error.code === "SYNC_RUNNING") return { skipped: error.message };
        throw error;
      }
    });
  }
  if (options.work !== false) {
    await boss.work(DIGEST_TICK_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async () => {
      await tickDigests();
    });
    await boss.work<{ subscriptionId: number; week: string }>(DIGEST_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async ([job]) => {
      if (!job) return;
      const outcome = await deliverDigest(systemContext(database), job.data.subscriptionId, job.data.week, options.digest ?? deliveryOptionsFromEnv());
      return { outcome };
    });
  }
  return {
    boss,
    sync,
    tickDigests,
    runNow: (scheduleId) => boss.send(IMPORT_QUEUE, { scheduleId }),
    stop: () => {
      if (resync) clearInterval(resync);
      return boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
