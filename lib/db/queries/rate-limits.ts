import "server-only";
import { lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rateLimits } from "../schema";

/**
 * Counts one hit of `key` in the window starting at `windowStart` and returns the window's count
 * so far. One statement, so concurrent hits from any number of connections never lose a count.
 */
export async function countRateLimitHit(db: Db, key: string, windowStart: Date): Promise<number> {
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, hits: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { hits: sql`${rateLimits.hits} + 1` } })
    .returning({ hits: rateLimits.hits });
  return row!.hits;
}

/** Forgets windows that started before `before`; returns how many went. */
export async function deleteRateLimitWindowsBefore(db: Db, before: Date): Promise<number> {
  const rows = await db.delete(rateLimits).where(lt(rateLimits.windowStart, before)).returning({ key: rateLimits.key });
  return rows.length;
}
