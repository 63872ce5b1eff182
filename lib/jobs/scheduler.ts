// The job queue behind scheduled imports: pg-boss on Postgres and on PGlite alike. Several app
// instances or `npm run worker` processes may run it against one database; a due job runs once.
import "server-only";
import { PgBoss, fromPglite } from "pg-boss";
import type { Database } from "../db/client";
import type { SourcePolicy } from "../connectors/kpi-feed";
import { listSchedules, runScheduledImport } from "./scheduled-import";

export const IMPORT_QUEUE = "kpi-import";

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
}

export interface Scheduler {
  boss: PgBoss;
  /** Mirror the import_schedules table into pg-boss cron schedules. */
  sync(): Promise<void>;
  /** Queue a run of a schedule now ("run now"). */
  runNow(scheduleId: number): Promise<string | null>;
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

  const sync = async () => {
    const schedules = await listSchedules(database.db);
    const wanted = new Map(schedules.filter((s) => s.enabled).map((s) => [String(s.id), s]));
    for (const existing of await boss.getSchedules(IMPORT_QUEUE)) {
      if (!wanted.has(existing.key)) await boss.unschedule(IMPORT_QUEUE, existing.key);
    }
    for (const [key, s] of wanted) await boss.schedule(IMPORT_QUEUE, s.cron, { scheduleId: s.id }, { tz: s.timezone, key });
  };
  await sync();

  if (options.work !== false) {
    await boss.work<{ scheduleId: number }>(IMPORT_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async ([job]) => {
      if (job) await runScheduledImport(database.db, job.data.scheduleId, options.policy);
    });
  }
  return {
    boss,
    sync,
    runNow: (scheduleId) => boss.send(IMPORT_QUEUE, { scheduleId }),
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
