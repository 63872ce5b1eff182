// The app's own scheduler: one per server process, started at boot (instrumentation.ts).
import "server-only";
import { getDatabase } from "../db/client";
import { schedulerMode } from "../env";
import { startScheduler, type Scheduler } from "./scheduler";

const KEY = Symbol.for("throughline.scheduler");
type WithScheduler = typeof globalThis & { [KEY]?: Promise<Scheduler | null> };

/**
 * The running scheduler. With THROUGHLINE_SCHEDULER=off on Postgres it is a client that runs no
 * jobs and fires no crons (workers do) but still mirrors schedule changes into pg-boss and queues
 * "run now", so every instance behaves the same. Null with it off on the embedded database.
 */
export function getAppScheduler(): Promise<Scheduler | null> {
  const g = globalThis as WithScheduler;
  if (!g[KEY]) {
    const off = schedulerMode() === "off";
    g[KEY] = getDatabase().then((db) => (!off ? startScheduler(db) : db.engine === "postgres" ? startScheduler(db, { work: false, timekeeping: false }) : null));
    g[KEY].catch((error: unknown) => {
      console.error("scheduler failed to start:", error);
      delete g[KEY];
    });
  }
  return g[KEY];
}

/** The scheduler of this process if one was started (the app's), without starting one (the CLI's). */
export function runningAppScheduler(): Promise<Scheduler | null> {
  return (globalThis as WithScheduler)[KEY] ?? Promise.resolve(null);
}
