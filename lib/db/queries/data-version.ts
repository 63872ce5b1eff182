import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";

/**
 * Changes whenever stored work history may have: every import and sync is a run, finished after its
 * transaction commits (so a run under way does not yet count); a roadblock reported or answered in
 * the app opens or ends a block, and writes an event.
 */
export async function getDataVersion(db: Db): Promise<string> {
  const [row] = await queryRows<{ v: string }>(
    db,
    sql`select coalesce(max(id), 0) || ':' || coalesce(max(finished_at)::text, '') || ':' || (select coalesce(max(id), 0) from roadblock_events) as v from import_runs`,
  );
  return row?.v ?? "0:";
}
