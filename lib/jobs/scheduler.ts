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

export interface SchedulerOptions {
  /** Claim and run jobs here (false: only keep cron schedules in sync). */
  work?: boolean;
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
  const timing = {
    ...(options.cronWorkerIntervalSeconds ? { cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds } : {}),
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

  const sync = async () => {
    const schedules = await listSchedules(database.db);
    const wanted = new Map(schedules.filter((s) => s.enabled).map((s) => [String(s.id), s]));
    for (const existing of await boss.getSchedules(IMPORT_QUEUE)) {
      if (!wanted.has(existing.key)) await boss.unschedule(IMPORT_QUEUE, existing.key);
    }
    for (const [key, s] of wanted) await boss.schedule(IMPORT_QUEUE, s.cron, { scheduleId: s.id }, { tz: s.timezone, key });
    const scheduled = new Map((await listSources(database.db)).filter((s) => s.cron).map((s) => [String(s.id), s]));
    for (const existing of await boss.getSchedules(SYNC_QUEUE)) {
      if (!scheduled.has(existing.key)) await boss.unschedule(SYNC_QUEUE, existing.key);
    }
    for (const [key, s] of scheduled) await boss.schedule(SYNC_QUEUE, s.cron!, { sourceId: s.id }, { tz: s.timezone, key });
  };
  await sync();

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
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
