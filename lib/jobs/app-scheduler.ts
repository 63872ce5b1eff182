// The app's own scheduler: one per server process, started at boot (instrumentation.ts).
import "server-only";
import { getDatabase } from "../db/client";
import { schedulerMode } from "../env";
import { startScheduler, type Scheduler } from "./scheduler";

const KEY = Symbol.for("throughline.scheduler");
type WithScheduler = typeof globalThis & { [KEY]?: Promise<Scheduler | null> };

/** The running scheduler, or null when THROUGHLINE_SCHEDULER=off (a separate worker runs jobs). */
export function getAppScheduler(): Promise<Scheduler | null> {
  const g = globalThis as WithScheduler;
  if (!g[KEY]) {
    g[KEY] = schedulerMode() === "off" ? Promise.resolve(null) : getDatabase().then((db) => startScheduler(db));
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
