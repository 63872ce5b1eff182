// Test databases: PGlite always; the Postgres server too when DATABASE_URL is set (CI sets it).
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Database, type Db } from "../../lib/db/client";
import { env } from "../../lib/env";

export interface Engine {
  name: "pglite" | "postgres";
  open(): Promise<Database>;
}

export function engines(): Engine[] {
  const list: Engine[] = [{ name: "pglite", open: () => openDatabase({ dataDir: "memory://" }) }];
  const url = env().DATABASE_URL;
  if (url) list.push({ name: "postgres", open: () => openDatabase({ url, max: 4 }) });
  return list;
}

/** A key no other test (or parallel test file) uses. */
export function uniqueKey(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Row counts of everything stored for one team, to prove a failed import changed nothing. */
export async function teamFootprint(db: Db, teamKey: string) {
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select
      (select count(*)::int from teams where key = ${teamKey}) as teams,
      (select count(*)::int from workflow_statuses w join teams t on t.id = w.team_id where t.key = ${teamKey}) as statuses,
      (select count(*)::int from work_items i join teams t on t.id = i.team_id where t.key = ${teamKey}) as items,
      (select count(*)::int from transitions x join teams t on t.id = x.team_id where t.key = ${teamKey}) as transitions,
      (select count(*)::int from blocks b join teams t on t.id = b.team_id where t.key = ${teamKey}) as blocks,
      (select count(*)::int from item_blocked_facts f join teams t on t.id = f.team_id where t.key = ${teamKey}) as blocked_facts,
      (select count(*)::int from milestones m join teams t on t.id = m.team_id where t.key = ${teamKey}) as milestones,
      (select coalesce(string_agg(i.key || ':' || i.title || ':' || i.content_hash, ',' order by i.key), '') from work_items i join teams t on t.id = i.team_id where t.key = ${teamKey}) as item_digest,
      (select coalesce(string_agg(w.name || ':' || w.category, ',' order by w.position), '') from workflow_statuses w join teams t on t.id = w.team_id where t.key = ${teamKey}) as workflow_digest`,
  );
  return row!;
}
