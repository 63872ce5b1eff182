// The CLI's and scheduled jobs' entry: the system actor on the process's database. Kept apart from
// entries.ts, which needs the Next.js runtime (cookies, redirects) that a CLI process has not.
import "server-only";
import { SYSTEM } from "../auth/permissions";
import type { Database } from "../db/client";
import type { ServiceContext } from "./context";

export function systemContext(database: Database): ServiceContext {
  return { db: database.db, engine: database.engine, actor: SYSTEM, now: new Date() };
}
