import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { blocks, transitions, workItems } from "../schema";

/** One work item with its transitions (in order) and blocks. */
export async function getWorkItem(db: Db, teamId: number, key: string) {
  const [item] = await db
    .select()
    .from(workItems)
    .where(and(eq(workItems.teamId, teamId), eq(workItems.key, key)));
  if (!item) return null;
  const [history, itemBlocks] = await Promise.all([
    db.select().from(transitions).where(eq(transitions.itemId, item.id)).orderBy(asc(transitions.seq)),
    db.select().from(blocks).where(eq(blocks.itemId, item.id)).orderBy(asc(blocks.start), asc(blocks.id)),
  ]);
  return { item, transitions: history, blocks: itemBlocks };
}

/** Keys and titles of some of a team's items (labels for lists of keys). */
export async function listItemTitles(db: Db, teamId: number, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return db
    .select({ key: workItems.key, title: workItems.title })
    .from(workItems)
    .where(and(eq(workItems.teamId, teamId), inArray(workItems.key, [...keys])));
}

/**
 * Per status: how many of a team's items are in it now, and how many ever entered it (for the
 * mapping review: a status nothing uses can be mapped without a second thought, a busy one cannot).
 */
export async function countItemsByStatus(db: Db, teamId: number): Promise<Map<string, { now: number; ever: number }>> {
  const rows = await db
    .select({
      status: transitions.status,
      now: sql<number>`count(*) filter (where ${transitions.until} is null)::int`,
      ever: sql<number>`count(distinct ${transitions.itemId})::int`,
    })
    .from(transitions)
    .where(eq(transitions.teamId, teamId))
    .groupBy(transitions.status);
  return new Map(rows.map((r) => [r.status, { now: Number(r.now), ever: Number(r.ever) }]));
}
